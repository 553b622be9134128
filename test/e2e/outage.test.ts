import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrateLocally, type MigrationOutcome } from '../../tooling/cli/migrate.ts';
import { parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import {
  CapturedOutput,
  fullReport,
  e2eFile,
  expectReportMatchesManifest,
  FAST,
  LEGACY_DB_URL,
  seedE2eCustomer,
  STAGE,
  startTarget,
  targetRecords,
  temporaryFolder,
  tokenOf,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);
const customer = FILE.customer;

/** How long each system is away: a blip an hours-long run against an on-premise database must ride out. */
const OUTAGE_MS = 20_000;

/** Waits (at most `seconds`) until `condition` holds, checking twice a second. */
async function until(what: string, seconds: number, condition: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; await sleep(500)) if (await condition()) return;
  expect.fail(`timed out waiting until ${what}`);
}

/** True when clients sent bytes through `proxy` within the next second: they are using it right now. */
async function inUse(proxy: TcpProxy): Promise<boolean> {
  const before = proxy.bytesFromClients;
  await sleep(1000);
  return proxy.bytesFromClients > before;
}

describe('a run that rides out outages: the legacy database, then FiberConnect, away for 20 s each (real state machines and bundles)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const folder = temporaryFolder('e2e-outage-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;
  let legacy: TcpProxy;
  let fiberconnect: TcpProxy;

  before(async function () {
    // The proxies sit in this process, in front of what the local runtime reaches; a stage's Lambdas do not pass them.
    if (STAGE) this.skip();
    // A smaller seed than the other scenarios: the outages, not the volume, are what this proves.
    manifest = await seedE2eCustomer(customer, '0.2');
    target = await startTarget(folder.path, customer);
    const database = parseLegacyDbUrl(LEGACY_DB_URL);
    legacy = await new TcpProxy({ host: database.host, port: database.port }).start();
    const standin = new URL(target.url);
    fiberconnect = await new TcpProxy({ host: standin.hostname, port: Number(standin.port) }).start();
  });
  after(async () => {
    await legacy?.close();
    await fiberconnect?.close();
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('SUCCEEDS with exactly the report of the seed manifest and each record once in the target', async () => {
    const database = parseLegacyDbUrl(LEGACY_DB_URL);
    const password = database.password ? `:${encodeURIComponent(database.password)}` : '';
    const options = {
      customer,
      legacyDbUrl: `mysql://${encodeURIComponent(database.user)}${password}@127.0.0.1:${legacy.port}`,
      targetUrl: `http://127.0.0.1:${fiberconnect.port}`,
      targetToken: tokenOf(customer),
      // Slow on both sides, so the run is still reading and sending when each outage starts.
      overrides: { ...FAST, targetRps: 60, sourceRps: 2, sourceBatchSize: 20 },
    };
    const settings = {
      dataDir: folder.path,
      basePort: FILE.basePort,
      reportsDir: join(folder.path, 'reports'),
      pollIntervalMs: 500,
      consumerTimeoutSeconds: 10,
      out: output as unknown as NodeJS.WriteStream,
    };
    const running: Promise<MigrationOutcome> = migrateLocally(options, settings);
    let ended = false;
    void running.finally(() => (ended = true)).catch(() => undefined);
    const counts = async (): Promise<Record<string, number>> => (await admin(target, 'GET', '/admin/counts')).json[customer] ?? {};

    // The legacy database goes while the connections' producers read their pages.
    await until('the producers of connections read', 300, async () => ended || ((await counts()).connections! > 0 && (await inUse(legacy))));
    expect(ended, 'the run ended before the legacy database could be dropped: lower sourceRps').to.equal(false);
    output.write(`--- legacy database dropped at ${new Date().toISOString()}\n`);
    await legacy.drop();
    await sleep(OUTAGE_MS);
    await legacy.restore();
    output.write(`--- legacy database back at ${new Date().toISOString()}\n`);

    // Then FiberConnect goes while the consumers send.
    await until('the consumers send', 300, async () => ended || (await inUse(fiberconnect)));
    expect(ended, 'the run ended before FiberConnect could be dropped: lower targetRps').to.equal(false);
    output.write(`--- FiberConnect dropped at ${new Date().toISOString()}\n`);
    await fiberconnect.drop();
    await sleep(OUTAGE_MS);
    await fiberconnect.restore();
    output.write(`--- FiberConnect back at ${new Date().toISOString()}\n`);

    const outcome = await running;
    expect(outcome.status, outcome.rootCause ?? outcome.error).to.equal('SUCCEEDED');
    expectReportMatchesManifest(fullReport(outcome), manifest);
    const records = await targetRecords(target, customer);
    for (const collection of ['projects', 'contractors', 'connections', 'work-orders', 'planboard-slots', 'documents'] as const) {
      expect(Object.keys(records[collection] ?? {}), collection).to.have.length(manifest.expected.default.entities[collection].migrated);
    }
  });
});
