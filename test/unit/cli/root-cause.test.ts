import { expect } from 'chai';
import { findRootCause, rootCauseLine, type FailedExecution } from '../../../tooling/cli/root-cause.ts';
import { exitCode } from '../../../tooling/cli/entry.ts';
import { InvalidInputError, MigrationError } from '../../../src/domain/errors.ts';
import { LegacyDbUnreachableError } from '../../../src/source/errors.ts';

/** A child execution's description as a failed `startExecution.sync:2` Task puts it in its Cause. */
function child(stateMachine: string, input: object, error: string, cause: string): string {
  return JSON.stringify({
    ExecutionArn: `arn:aws:states:eu-west-1:000000000000:execution:${stateMachine}:x`,
    Status: 'FAILED',
    Input: input,
    Error: error,
    Cause: cause,
  });
}

const run = { customer: 'acme', runId: 'r1', options: { targetRps: 5 } };
const producerError = JSON.stringify({
  errorType: 'LegacyDbUnreachableError',
  errorMessage: 'legacy database unreachable (PROTOCOL_CONNECTION_LOST)',
  trace: ['LegacyDbUnreachableError: ...', '    at handler (index.mjs:1:1)'],
});

/** migration → ProcessFlow → MigrateFlow (one sub-project) → ResourceFlow (one collection) → producer. */
function nested(lambdaCause: string): FailedExecution {
  const resource = child('resource', { ...run, database: 'fp_acme_b', collection: 'connections' }, 'LegacyDbUnreachableError', lambdaCause);
  const migrate = child('migrate', { ...run, database: 'fp_acme_b' }, 'States.TaskFailed', resource);
  const processFlow = child('process', { stateMachineArn: 'arn:migrate', run }, 'States.TaskFailed', migrate);
  return { error: 'States.TaskFailed', cause: processFlow, input: JSON.stringify(run) };
}

describe('root cause of a failed execution', () => {
  it('names the collection and sub-project of the innermost failed child and its error (AWS Lambda payload)', async () => {
    const failure = nested(producerError);
    expect(failure.cause!.length).to.be.greaterThan(600);
    expect(rootCauseLine(await findRootCause(failure))).to.equal('connections of fp_acme_b: legacy database unreachable (PROTOCOL_CONNECTION_LOST)');
  });

  it('reads the local runtime\'s "errorType: errorMessage" Lambda cause the same way', async () => {
    const failure = nested('LegacyDbUnreachableError: legacy database unreachable (ECONNREFUSED)');
    expect(rootCauseLine(await findRootCause(failure))).to.equal('connections of fp_acme_b: legacy database unreachable (ECONNREFUSED)');
  });

  it('keeps a States.* error name, and names only the sub-project when no collection is known', async () => {
    const failure = {
      error: 'States.TaskFailed',
      cause: child('migrate', { ...run, database: 'fp_acme_a' }, 'DrainTimeout', 'the queue did not drain within 2 s'),
    };
    expect(rootCauseLine(await findRootCause(failure))).to.equal('fp_acme_a: the queue did not drain within 2 s');
    const timeout = { error: 'States.TaskFailed', cause: child('migrate', { ...run, database: 'fp_acme_a' }, 'States.Timeout', '') };
    expect(rootCauseLine(await findRootCause(timeout))).to.equal('fp_acme_a: States.Timeout');
  });

  it('follows a Distributed Map failure into the failed child the lookup finds (AWS)', async () => {
    const failure = {
      error: 'States.TaskFailed',
      cause: child('process', { run }, 'States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded'),
    };
    const looked: string[] = [];
    const cause = await findRootCause(failure, async (arn) => {
      looked.push(arn);
      return {
        error: 'States.TaskFailed',
        cause: child('resource', { ...run, database: 'fp_acme_c', collection: 'projects' }, 'LegacyDbUnreachableError', producerError),
        input: { ...run, database: 'fp_acme_c' },
      };
    });
    expect(looked).to.deep.equal(['arn:aws:states:eu-west-1:000000000000:execution:process:x']);
    expect(rootCauseLine(cause)).to.equal('projects of fp_acme_c: legacy database unreachable (PROTOCOL_CONNECTION_LOST)');
  });

  it('shows a plain error and cause as they are', async () => {
    expect(rootCauseLine(await findRootCause({ error: 'PlanboardJobsTimeout', cause: 'planboard-preparation jobs still pending after 3 polls' }))).to.equal(
      'planboard-preparation jobs still pending after 3 polls',
    );
  });
});

describe('exit codes of the CLI commands', () => {
  it('0 when the run completed, 1 when it failed or ended otherwise', () => {
    expect(exitCode({ outcome: { runId: 'r', status: 'SUCCEEDED' } })).to.equal(0);
    expect(exitCode({ outcome: { runId: 'r', status: 'FAILED' } })).to.equal(1);
    expect(exitCode({ outcome: { runId: 'r', status: 'ABORTED' } })).to.equal(1);
  });

  it('2 for bad input and a legacy database unreachable at the start, 1 for any other error', () => {
    expect(exitCode({ error: new InvalidInputError('x', { input: 'CUSTOMER', issue: 'missing' }) })).to.equal(2);
    expect(exitCode({ error: new LegacyDbUnreachableError('x', { address: 'a', cause: 'ECONNREFUSED' }) })).to.equal(2);
    expect(exitCode({ error: new MigrationError('redrive failed', {}) })).to.equal(1);
    expect(exitCode({ error: new Error('boom') })).to.equal(1);
  });
});
