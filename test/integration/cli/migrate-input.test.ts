import { expect } from 'chai';
import { migrateLocally } from '../../../tooling/cli/migrate.ts';
import { parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { LegacyRegistry } from '../../../src/source/mysql/registry.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, startTestStandin } from '../standin/helpers.ts';
import { CapturedOutput, CUSTOMER, LEGACY_DB_URL, seedE2eCustomer, temporaryFolder } from '../../e2e/helpers.ts';

/** A tiny customer of its own: known to the registry, never migrated. */
const KNOWN = `${CUSTOMER}input`;

/** Runs the command and returns the error it stopped with. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  expect.fail('the command should have stopped with an error');
}

describe('make migrate: bad input gets one clear line and changes nothing', () => {
  const folder = temporaryFolder('cli-input-');
  before(async () => {
    await seedE2eCustomer(KNOWN, '0.05');
  });
  after(() => folder.remove());

  it('requires CUSTOMER', () => {
    expect(() => parseMigrateEnv({})).to.throw(InvalidInputError, 'CUSTOMER is required, e.g. make migrate CUSTOMER=demo');
  });

  it('refuses a flag that is not 1 or 0, naming the make variable', () => {
    expect(() => parseMigrateEnv({ CUSTOMER: 'demo', RETRY_FAILED: 'maybe' })).to.throw(InvalidInputError, 'RETRY_FAILED must be 1 or 0 (got "maybe")');
  });

  it('refuses a rate that is not a positive number, or out of range, naming the make variable', () => {
    expect(() => parseMigrateEnv({ CUSTOMER: 'demo', TARGET_RPS: 'fast' })).to.throw(InvalidInputError, 'TARGET_RPS must be a positive number (got "fast")');
    expect(() => parseMigrateEnv({ CUSTOMER: 'demo', CONCURRENCY: '5000' })).to.throw(
      InvalidInputError,
      /^CONCURRENCY: option consumers must be a number from 1 to 1000/,
    );
    expect(() => parseMigrateEnv({ CUSTOMER: 'demo', QUEUE_BACKLOG: '200000' })).to.throw(
      InvalidInputError,
      /^QUEUE_BACKLOG: option queueBacklog must be a number from 10 to 100000/,
    );
  });

  it('maps the make variables onto run options', () => {
    const options = parseMigrateEnv({
      CUSTOMER: 'acme',
      MIGRATE_COMPLETED: '1',
      ONLY_PLANBOARD: '0',
      RETRY_FAILED: 'true',
      TARGET_RPS: '12.5',
      SOURCE_RPS: '3',
      CONCURRENCY: '8',
      QUEUE_BACKLOG: '2000',
    });
    expect(options.overrides).to.deep.equal({
      migrateCompletedProjects: true,
      migrateOnlyPlanboard: false,
      retryFailed: true,
      targetRps: 12.5,
      sourceRps: 3,
      consumers: 8,
      queueBacklog: 2000,
    });
  });

  it('wants a token with FIBERCONNECT_URL', () => {
    expect(() => parseMigrateEnv({ CUSTOMER: 'demo', FIBERCONNECT_URL: 'http://127.0.0.1:1' })).to.throw(InvalidInputError, /FIBERCONNECT_TOKEN is not/);
  });

  it('names an unreachable legacy database without its password', async () => {
    const error = await failure(() =>
      migrateLocally(
        { customer: 'demo', legacyDbUrl: 'mysql://root:secret@127.0.0.1:1', overrides: {} },
        { dataDir: folder.path, out: new CapturedOutput() as unknown as NodeJS.WriteStream },
      ),
    );
    expect(error.message).to.match(/^legacy database unreachable at root@127\.0\.0\.1:1/);
    expect(error.message).to.not.include('secret');
  });

  it('lists the known customers for an unknown one', async () => {
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config);
    const registry = new LegacyRegistry(pool);
    try {
      const before = await registry.listCustomers();
      const error = await failure(() =>
        migrateLocally(
          { customer: 'nobody-here', legacyDbUrl: LEGACY_DB_URL, overrides: {} },
          { dataDir: folder.path, out: new CapturedOutput() as unknown as NodeJS.WriteStream },
        ),
      );
      const after = await registry.listCustomers();
      expect(error).to.be.instanceOf(InvalidInputError);
      expect(before).to.include(KNOWN);
      // Other tests (and other checkouts) seed customers on the same MariaDB meanwhile: the registry as it was before or after the call.
      expect([before, after].map((known) => `unknown customer nobody-here; known customers: ${known.join(', ')}`)).to.include(error.message);
    } finally {
      await pool.end();
    }
  });

  describe('a target that refuses the token', () => {
    let target: RunningStandin;
    before(async () => {
      target = await startTestStandin();
    });
    after(async () => target.close());

    it('stops with the 401 before anything is switched off on the target', async () => {
      const error = await failure(() =>
        migrateLocally(
          { customer: KNOWN, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: 'wrong-token', overrides: {} },
          { dataDir: folder.path, out: new CapturedOutput() as unknown as NodeJS.WriteStream },
        ),
      );
      expect(error.message).to.equal(`FiberConnect at ${target.url} refused the token of customer ${KNOWN} (401)`);
      const log = (await admin(target, 'GET', '/admin/requests')).json.items as { method: string }[];
      expect(log.filter((entry) => entry.method !== 'GET')).to.deep.equal([]);
    });
  });
});
