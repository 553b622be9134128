import { expect } from 'chai';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { assertStageTarget } from '../../../tooling/cli/stage-checks.ts';

/** A Parameter Store that answers one stage's FiberConnect URL, or fails with `errorName`. */
function fakeSsm(url: string | undefined, errorName?: string): { ssm: SSMClient; asked: string[] } {
  const asked: string[] = [];
  const ssm = {
    send: async (command: { input: { Name: string } }) => {
      asked.push(command.input.Name);
      if (errorName) throw Object.assign(new Error(errorName), { name: errorName });
      return { Parameter: { Value: url } };
    },
    destroy: () => undefined,
  } as unknown as SSMClient;
  return { ssm, asked };
}

describe('a stage is one target', () => {
  it('accepts the FIBERCONNECT_URL the stage was deployed against, however it is spelled', async () => {
    const { ssm, asked } = fakeSsm('https://api.dev.fiberconnect.example');
    await assertStageTarget('dev', 'HTTPS://api.dev.fiberconnect.example:443/', ssm);
    expect(asked).to.deep.equal(['/fiberplan-migration/dev/fiberconnect-url']);
  });

  it('refuses in one line a FIBERCONNECT_URL that names another FiberConnect', async () => {
    const { ssm } = fakeSsm('https://api.dev.fiberconnect.example');
    const error = await assertStageTarget('dev', 'https://api.fiberconnect.example', ssm).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.equal(
      'stage dev migrates into https://api.dev.fiberconnect.example, not https://api.fiberconnect.example: leave FIBERCONNECT_URL unset, or use the stage deployed against that target (docs/architecture.md, one ledger per target)',
    );
    expect((error as Error).message).to.not.include('\n');
  });

  it('refuses a FIBERCONNECT_URL it cannot compare, when these credentials may not read the stage URL', async () => {
    const { ssm } = fakeSsm(undefined, 'AccessDeniedException');
    const error = await assertStageTarget('dev', 'https://api.dev.fiberconnect.example', ssm).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.match(/may not read the FiberConnect URL of stage dev/);
  });

  it("counts the source from here only for a LEGACY_DB_URL given on purpose (the default is this machine's database, not the stage's)", () => {
    expect(parseMigrateEnv({ CUSTOMER: 'acme' }).legacyDbUrlGiven).to.equal(undefined);
    expect(parseMigrateEnv({ CUSTOMER: 'acme', LEGACY_DB_URL: 'mysql://reader@10.0.0.5:3306' }).legacyDbUrlGiven).to.equal(true);
  });
});
