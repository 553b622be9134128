// Runs alone: a whole migration through the CLI entry, its listening sockets read from /proc while it runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { LOCAL_PORT_COUNT } from '../../../tooling/local/constants.ts';
import { parseSeedOptions } from '../../../tooling/seed/options.ts';
import { seedCustomer } from '../../../tooling/seed/seed-customer.ts';
import { BASE_PORT, CUSTOMER, LEGACY_DB_URL, temporaryFolder } from '../../e2e/helpers.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { listenersOf, processTree, type Listener } from '../../helpers/listening-sockets.ts';

/** A customer of its own, seeded small: the whole run stays short. */
const SMALL = `${CUSTOMER}loopback`;
/** The runtime's first port: this file's block of the integration tests' ports (test/e2e/helpers.ts). */
const FIRST_PORT = BASE_PORT + 35;

describe('local endpoints listen on 127.0.0.1 only', function () {
  this.timeout(600_000);
  const folder = temporaryFolder('cli-loopback-');

  before(async () => {
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config, { connectionLimit: 3 });
    try {
      await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: SMALL, SEED: '7', SCALE: '0.05', DIRT: '0' }));
    } finally {
      await pool.end();
    }
  });
  after(() => folder.remove());

  it('while `fiberplan-migrate migrate` runs with its own FiberConnect stand-in, every listener of its process tree is on 127.0.0.1 (read from /proc)', async () => {
    const seen = new Map<string, Listener>();
    let running = true;
    const watch = async (child: { pid?: number }): Promise<void> => {
      while (running && child.pid) {
        for (const listener of listenersOf(processTree(child.pid))) seen.set(`${listener.address}:${listener.port}`, listener);
        await sleep(200);
      }
    };
    const exit = await runCli(
      ['migrate', `CUSTOMER=${SMALL}`, 'TARGET_RPS=400', 'SOURCE_RPS=200'],
      folder.path,
      {
        LEGACY_DB_URL,
        LOCAL_DATA_DIR: join(folder.path, 'runtime'),
        LOCAL_BASE_PORT: String(FIRST_PORT),
        LOCAL_CONSUMER_TIMEOUT_SECONDS: '10',
      },
      watch,
    );
    running = false;
    expect(exit.code, exit.stdout + exit.stderr).to.equal(0);
    const listeners = [...seen.values()];
    const ports = listeners.map((listener) => listener.port);
    // The runtime's five endpoints and the stand-in the CLI started (on a port of its own) were all seen.
    for (let port = FIRST_PORT; port < FIRST_PORT + LOCAL_PORT_COUNT; port += 1) expect(ports, `port ${port}`).to.include(port);
    expect(exit.stdout).to.match(/FiberConnect stand-in at http:\/\/127\.0\.0\.1:(\d+)/);
    const standinPort = Number(/FiberConnect stand-in at http:\/\/127\.0\.0\.1:(\d+)/.exec(exit.stdout)![1]);
    expect(ports).to.include(standinPort);
    expect(
      listeners.filter((listener) => listener.address !== '127.0.0.1'),
      'listeners on another address',
    ).to.deep.equal([]);
  });
});
