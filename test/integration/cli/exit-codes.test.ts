// Runs alone: three whole migrations, each through the CLI entry in a process of its own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { parseSeedOptions } from '../../../tooling/seed/options.ts';
import { seedCustomer } from '../../../tooling/seed/seed-customer.ts';
import { startStandin, type RunningStandin } from '../../../tooling/standin/server.ts';
import { BASE_PORT, CONSUMER_TIMEOUT_SECONDS, CUSTOMER, E2E_TIMEOUT_MS, LEGACY_DB_URL, temporaryFolder } from '../../e2e/helpers.ts';
import { admin } from '../standin/helpers.ts';
import { runCli } from '../../helpers/cli-process.ts';

/** A customer of its own, seeded small: a whole run through the entry stays short. */
const SMALL = `${CUSTOMER}cli`;
const TOKEN = `${SMALL}-token`;

describe('fiberplan-migrate: exit codes through the real entry (bin/fiberplan-migrate)', function () {
  // Whole runs through the entry, each in a process of its own: a safety net for a hung run, as the e2e files have.
  this.timeout(E2E_TIMEOUT_MS);
  const folder = temporaryFolder('cli-exit-');
  let target: RunningStandin;
  const runtimeEnv = (): NodeJS.ProcessEnv => ({
    LOCAL_DATA_DIR: join(folder.path, 'runtime'),
    LOCAL_BASE_PORT: String(BASE_PORT),
    LOCAL_CONSUMER_TIMEOUT_SECONDS: String(CONSUMER_TIMEOUT_SECONDS),
    FIBERCONNECT_URL: target.url,
    FIBERCONNECT_TOKEN: TOKEN,
    TARGET_RPS: '400',
    SOURCE_RPS: '200',
  });

  before(async () => {
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config, { connectionLimit: 3 });
    try {
      await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: SMALL, SEED: '5', SCALE: '0.05', DIRT: '0.05' }));
    } finally {
      await pool.end();
    }
    target = await startStandin({
      port: 0,
      dataPath: join(folder.path, 'fiberconnect.sqlite'),
      tokens: { [SMALL]: TOKEN },
      jobDelayMs: 200,
      rateLimit: { rate: 0, burst: 1 },
    });
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });

  it('exits 2 with one line on bad input, through make variables given as NAME=value', async () => {
    const exit = await runCli(['migrate', 'CUSTOMER=demo', 'RETRY_FAILED=maybe'], folder.path);
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.equal('migrate: RETRY_FAILED must be 1 or 0 (got "maybe")');
  });

  it('exits 2 naming an unknown option and the known one it is near (DRYRUN=1, DRY_RUN): nothing migrated, no runtime started', async () => {
    const exit = await runCli(['migrate', `CUSTOMER=${SMALL}`, 'DRYRUN=1'], folder.path, { ...runtimeEnv(), LEGACY_DB_URL });
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.equal(
      'migrate: unknown option DRYRUN (did you mean DRY_RUN?): nothing was started (fiberplan-migrate --help lists the options)',
    );
    expect(exit.stdout).to.equal('');
    expect(existsSync(join(folder.path, 'runtime')), 'no runtime state was created').to.equal(false);
  });

  it('exits 2 with one line for a LEGACY_DB_URL with a raw %, its password never shown', async () => {
    const exit = await runCli(['migrate', `CUSTOMER=${SMALL}`, 'LEGACY_DB_URL=mysql://root:50%off@127.0.0.1:3306'], folder.path, runtimeEnv());
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.equal('migrate: LEGACY_DB_URL: its password holds a % that is not followed by two hex digits (write a % itself as %25)');
  });

  it('exits 2 on an unknown command, with the usage', async () => {
    const exit = await runCli(['migrat'], folder.path);
    expect(exit.code).to.equal(2);
    expect(exit.stderr).to.include('unknown command "migrat"').and.include('usage: fiberplan-migrate migrate|report|redrive');
  });

  it('exits 2 when the legacy database is unreachable at the start, and names it in one line', async () => {
    const exit = await runCli(['migrate', `CUSTOMER=${SMALL}`, 'LEGACY_DB_URL=mysql://root:secret@127.0.0.1:1'], folder.path, runtimeEnv());
    expect(exit.code, exit.stderr).to.equal(2);
    expect(exit.stderr.trim()).to.match(/^migrate: legacy database unreachable at root@127\.0\.0\.1:1: /);
    expect(exit.stderr).to.not.include('secret');
  });

  it('exits 1 when the run fails, and prints the root cause in one line (the target refuses the workflow calls after the checks)', async () => {
    const started = Date.now();
    // The first request the target sees is the CLI's token check (it lists the workflows): refuse them from then on.
    // A refusal, not an outage: the run fails at once instead of riding it out for minutes.
    const refuseAfterChecks = async (): Promise<void> => {
      for (let i = 0; i < 600; i += 1) {
        const seen = (await admin(target, 'GET', `/admin/requests?since=${started}&customer=${SMALL}`)).json.items as unknown[];
        if (seen.length > 0) break;
        await new Promise((done) => setTimeout(done, 50));
      }
      await admin(target, 'PUT', '/admin/faults', { failPaths: ['/v1/workflows'], failStatus: 403 });
    };
    try {
      const exit = await runCli(['migrate', `CUSTOMER=${SMALL}`], folder.path, { ...runtimeEnv(), LEGACY_DB_URL }, refuseAfterChecks);
      expect(exit.code, exit.stdout + exit.stderr).to.equal(1);
      const failed = exit.stdout.split('\n').find((line) => / FAILED: /.test(line));
      expect(failed, exit.stdout).to.match(/^run \S+ FAILED: .*403/);
      expect(failed!.length, failed).to.be.below(300);
      expect(exit.stdout).to.match(/full error: .*failure\.json/);
    } finally {
      await admin(target, 'PUT', '/admin/faults', { failPaths: [], failStatus: 503 });
    }
  });

  it('exits 0 when the run completed, also with failed records', async () => {
    const exit = await runCli(['migrate', `CUSTOMER=${SMALL}`], folder.path, { ...runtimeEnv(), LEGACY_DB_URL });
    expect(exit.code, exit.stdout + exit.stderr).to.equal(0);
    expect(exit.stdout).to.match(/run \S+ SUCCEEDED in/);
  });
});
