import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { EXIT_CODES } from '../../../tooling/cli/constants.ts';
import { exitCode } from '../../../tooling/cli/entry.ts';
import { rollbackLocally } from '../../../tooling/cli/rollback.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, startTestStandin } from '../standin/helpers.ts';
import { BASE_PORT, CapturedOutput, CUSTOMER, LEGACY_DB_URL, seedE2eCustomer, temporaryFolder, tokenOf } from '../../e2e/helpers.ts';

/** Runs the command and returns the error it stopped with. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  expect.fail('the command should have stopped with an error');
}

describe('make rollback: bad input gets one clear line, exit 2, and changes nothing', function () {
  this.timeout(120_000);
  const folder = temporaryFolder('cli-rollback-input-');
  // Seeded, never migrated: nothing to roll back.
  const customer = `${CUSTOMER}norun`;
  let target: RunningStandin;
  const settings = () => ({ dataDir: folder.path, basePort: BASE_PORT + 25, out: new CapturedOutput() as unknown as NodeJS.WriteStream });
  const writes = async () => ((await admin(target, 'GET', '/admin/requests')).json.items as { method: string }[]).filter((entry) => entry.method !== 'GET');

  before(async () => {
    await seedE2eCustomer(customer, '0.2');
    target = await startTestStandin({ tokens: { [customer]: tokenOf(customer) } });
  });
  after(async () => {
    await target.close();
    folder.remove();
  });

  it('an unknown customer', async () => {
    const error = await failure(() =>
      rollbackLocally({ customer: 'nobody-here', legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: 'x', overrides: {} }, settings()),
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.match(/^unknown customer nobody-here; known customers: /);
    expect(exitCode({ error })).to.equal(EXIT_CODES.badInput);
  });

  it('a token the target refuses: nothing is sent to it but the check', async () => {
    const error = await failure(() =>
      rollbackLocally({ customer, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: 'wrong-token', overrides: {} }, settings()),
    );
    expect(error.message).to.equal(`FiberConnect at ${target.url} refused the token of customer ${customer} (401)`);
    expect(exitCode({ error })).to.equal(EXIT_CODES.badInput);
    expect(await writes()).to.deep.equal([]);
  });

  it('a customer with no migration run to roll back: nothing started, the target untouched', async () => {
    const error = await failure(() =>
      rollbackLocally({ customer, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: tokenOf(customer), overrides: {} }, settings()),
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal(`customer ${customer} has no migration run to roll back: nothing changed`);
    expect(exitCode({ error })).to.equal(EXIT_CODES.badInput);
    expect(await writes()).to.deep.equal([]);
  });

  it('DRY_RUN=1: a rollback has no dry run', async () => {
    const error = await failure(() =>
      rollbackLocally({ customer, legacyDbUrl: LEGACY_DB_URL, targetUrl: target.url, targetToken: tokenOf(customer), overrides: { dryRun: true } }, settings()),
    );
    expect(error.message).to.match(/^a rollback has no dry run/);
    expect(exitCode({ error })).to.equal(EXIT_CODES.badInput);
  });
});
