import { expect } from 'chai';
import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import type { StackDescription } from '../../../tooling/cli/backend.ts';
import { stageLegacyPrecheck } from '../../../tooling/cli/stage-checks.ts';

/** A stage backend whose Lambda client answers `answer` (or throws it) and records what it was asked. */
function stage(answer: { FunctionError?: string; body: unknown } | Error, precheckFunctionName = 'fiberplan-migration-dev-precheck') {
  const sent: InvokeCommand[] = [];
  const lambda = {
    send: (command: InvokeCommand) => {
      sent.push(command);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({ ...(answer.FunctionError ? { FunctionError: answer.FunctionError } : {}), Payload: Buffer.from(JSON.stringify(answer.body)) });
    },
  } as unknown as LambdaClient;
  return { backend: { name: 'dev', stack: { precheckFunctionName } as StackDescription, lambda }, sent };
}

async function refusal(check: Promise<unknown>): Promise<InvalidInputError> {
  try {
    await check;
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  return expect.fail('the pre-check passed');
}

describe('the legacy pre-check of a stage (stageLegacyPrecheck)', () => {
  it('invokes the stage precheck function synchronously with the customer and answers what it found', async () => {
    const { backend, sent } = stage({ body: { customer: 'acme', subprojects: ['fp_acme_a'] } });
    expect(await stageLegacyPrecheck(backend, 'acme')).to.deep.equal({ customer: 'acme', subprojects: ['fp_acme_a'] });
    expect(sent).to.have.length(1);
    expect(sent[0]!.input.FunctionName).to.equal('fiberplan-migration-dev-precheck');
    expect(sent[0]!.input.InvocationType).to.equal('RequestResponse');
    expect(JSON.parse(Buffer.from(sent[0]!.input.Payload as Uint8Array).toString('utf8'))).to.deep.equal({ customer: 'acme' });
  });

  it("turns the function's refusal into one line of bad input (exit 2) that carries its message", async () => {
    const { backend } = stage({
      FunctionError: 'Unhandled',
      body: { errorType: 'LegacyDbUnreachableError', errorMessage: 'legacy database unreachable (ETIMEDOUT)' },
    });
    const error = await refusal(stageLegacyPrecheck(backend, 'acme'));
    expect(error.message).to.equal('legacy pre-check on stage dev failed: legacy database unreachable (ETIMEDOUT)');
    expect(error.message).to.not.include('\n');
    expect(error.context.issue).to.equal('LegacyDbUnreachableError');
  });

  it('turns an unknown customer into bad input', async () => {
    const { backend } = stage({
      FunctionError: 'Unhandled',
      body: { errorType: 'InvalidInputError', errorMessage: 'unknown customer acne; known customers: acme' },
    });
    expect((await refusal(stageLegacyPrecheck(backend, 'acne'))).message).to.match(/unknown customer acne/);
  });

  it('turns a function that cannot be invoked into bad input naming it', async () => {
    const { backend } = stage(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
    expect((await refusal(stageLegacyPrecheck(backend, 'acme'))).message).to.match(/cannot invoke fiberplan-migration-dev-precheck: Function not found/);
  });

  it('refuses a stack description without a precheck function, asking for the current Terraform, and invokes nothing', async () => {
    const { backend, sent } = stage({ body: {} }, '');
    expect((await refusal(stageLegacyPrecheck(backend, 'acme'))).message).to.match(/names no precheck function/);
    expect(sent).to.have.length(0);
  });
});
