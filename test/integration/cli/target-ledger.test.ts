// Runs alone: two whole migrations, one into each of two targets.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { migrateLocally } from '../../../tooling/cli/migrate.ts';
import { STANDIN_SLUG, targetDataDir, targetSlug } from '../../../tooling/cli/runtime-state.ts';
import { parseSeedOptions } from '../../../tooling/seed/options.ts';
import { seedCustomer } from '../../../tooling/seed/seed-customer.ts';
import { startStandin, type RunningStandin } from '../../../tooling/standin/server.ts';
import {
  BASE_PORT,
  CapturedOutput,
  CONSUMER_TIMEOUT_SECONDS,
  CUSTOMER,
  E2E_TIMEOUT_MS,
  FAST,
  LEGACY_DB_URL,
  temporaryFolder,
  tokenOf,
} from '../../e2e/helpers.ts';

/** A tiny customer of its own, so this test never shares a ledger or a legacy database with the e2e suite. */
const customer = `${CUSTOMER}target`;

describe('one ledger per target on the local runtime', function () {
  // Two whole runs of the workflow on a tiny seed: a safety net for a hung run, as the e2e files have.
  this.timeout(E2E_TIMEOUT_MS);
  const folder = temporaryFolder('target-ledger-');
  const targets: RunningStandin[] = [];
  const root = join(folder.path, 'runtime');

  before(async () => {
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config, { connectionLimit: 2 });
    try {
      await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: customer, SEED: '5', SCALE: '0.05', DIRT: '0' }));
    } finally {
      await pool.end();
    }
    for (const name of ['a', 'b']) {
      targets.push(
        await startStandin({
          port: 0,
          dataPath: join(folder.path, `${name}.sqlite`),
          tokens: { [customer]: tokenOf(customer) },
          jobDelayMs: 200,
          rateLimit: { rate: 0, burst: 1 },
        }),
      );
    }
  });
  after(async () => {
    for (const target of targets) await target.close();
    folder.remove();
  });

  const output = new CapturedOutput();
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  const migrateInto = (target: RunningStandin) =>
    migrateLocally(
      { customer, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: tokenOf(customer), overrides: FAST },
      {
        runtimeRoot: root,
        basePort: BASE_PORT + 30,
        reportsDir: join(folder.path, 'reports'),
        pollIntervalMs: 500,
        consumerTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
        out: output as unknown as NodeJS.WriteStream,
      },
    );

  it('migrates everything again into a second target after a run into the first, each in its own state folder', async () => {
    const [a, b] = targets as [RunningStandin, RunningStandin];
    const first = await migrateInto(a);
    expect(first.status, first.rootCause).to.equal('SUCCEEDED');
    const second = await migrateInto(b);
    expect(second.status, second.rootCause).to.equal('SUCCEEDED');
    for (const collection of COLLECTIONS) {
      const before = first.report!.entities[collection];
      const after = second.report!.entities[collection];
      expect({ migrated: after.migrated, alreadyMigrated: after.alreadyMigrated }, collection).to.deep.equal({ migrated: before.migrated, alreadyMigrated: 0 });
    }
    expect(COLLECTIONS.reduce((sum, collection) => sum + second.report!.entities[collection].migrated, 0)).to.be.greaterThan(0);
    expect(existsSync(join(root, targetSlug(a.url))) && existsSync(join(root, targetSlug(b.url))), 'one folder per target').to.equal(true);
  });

  it('refuses, before changing anything, a runtime folder from before one ledger per target', async () => {
    const old = join(folder.path, 'old');
    mkdirSync(join(old, 'dynamodb'), { recursive: true });
    expect(() => targetDataDir(undefined, old)).to.throw(InvalidInputError, /holds one runtime for every target .*: run make clean .*mv /);
    expect(existsSync(join(old, STANDIN_SLUG)), 'no stand-in state was created').to.equal(false);
  });
});
