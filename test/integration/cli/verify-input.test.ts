import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { parseSeedOptions } from '../../../tooling/seed/options.ts';
import { seedCustomer } from '../../../tooling/seed/seed-customer.ts';
import { startStandin, type RunningStandin } from '../../../tooling/standin/server.ts';
import { BASE_PORT, CUSTOMER, LEGACY_DB_URL, temporaryFolder } from '../../e2e/helpers.ts';
import { admin } from '../standin/helpers.ts';

/** The CLI's own entry, as `npx fiberplan-migrate` runs it. */
const BIN = resolve(import.meta.dirname, '../../../bin/fiberplan-migrate');
/** A customer of its own, seeded small and never migrated. */
const SMALL = `${CUSTOMER}vcli`;
const TOKEN = `${SMALL}-token`;

/** Runs `fiberplan-migrate verify <args>` and answers its exit code and output. */
function verify(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(BIN, ['verify', ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('fiberplan-migrate verify: bad input is one line, exit 2, nothing changed (real entry, local runtime)', function () {
  this.timeout(300_000);
  const folder = temporaryFolder('cli-verify-');
  let target: RunningStandin;
  const env = (token = TOKEN): NodeJS.ProcessEnv => ({
    LEGACY_DB_URL,
    LOCAL_DATA_DIR: join(folder.path, 'runtime'),
    LOCAL_BASE_PORT: String(BASE_PORT + 5),
    FIBERCONNECT_URL: target.url,
    FIBERCONNECT_TOKEN: token,
  });
  /** Requests FiberConnect got that could change something. */
  const writes = async (): Promise<string[]> =>
    ((await admin(target, 'GET', '/admin/requests')).json.items as { method: string; path: string }[])
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);

  before(async () => {
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config, { connectionLimit: 3 });
    try {
      await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: SMALL, SEED: '5', SCALE: '0.05', DIRT: '0.05' }));
    } finally {
      await pool.end();
    }
    target = await startStandin({ port: 0, dataPath: join(folder.path, 'fiberconnect.sqlite'), tokens: { [SMALL]: TOKEN }, rateLimit: { rate: 0, burst: 1 } });
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });

  it('exits 2 on a customer the legacy registry does not know', async () => {
    const exit = await verify([`CUSTOMER=${CUSTOMER}nosuch`], env());
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim().split('\n')).to.have.length(1);
    expect(exit.stderr).to.match(/^verify: .*nosuch/);
    expect(await writes()).to.deep.equal([]);
  });

  it('exits 2 on a token the target refuses', async () => {
    const exit = await verify([`CUSTOMER=${SMALL}`], env('not-the-token'));
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.equal(`verify: FiberConnect at ${target.url} refused the token of customer ${SMALL} (401)`);
  });

  it('exits 2 on a customer that was never migrated: nothing to verify, no verification started', async () => {
    const exit = await verify([`CUSTOMER=${SMALL}`], env());
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.equal(`verify: customer ${SMALL} was never migrated on local: nothing to verify (make migrate CUSTOMER=${SMALL} first)`);
    expect(exit.stdout).to.not.include('started');
    expect(await writes()).to.deep.equal([]);
  });
});
