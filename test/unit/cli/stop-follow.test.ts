import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import type { Backend } from '../../../tooling/cli/backend.ts';
import { followCommand } from '../../../tooling/cli/follow-command.ts';
import { executionArnOf, restoreName, stopCommand } from '../../../tooling/cli/stop-command.ts';

/** A backend whose customer lock is held by nobody, or by a run whose execution ended (and which was closed). */
function backendWithLock(found: { running: boolean } | undefined): Backend {
  const holder = {
    customer: 'acme',
    runId: 'r1',
    kind: 'migration' as const,
    executionArn: 'arn:aws:states:eu-west-1:1:execution:m:r1',
    startedAt: '2026-12-01T08:00:00Z',
  };
  return {
    name: 'dev',
    locks: { holder: async () => (found ? { holder, ...found } : undefined) },
    runs: { getRun: async () => ({ customer: 'acme', runId: 'r1', status: 'FAILED' }) },
  } as unknown as Backend;
}

describe('make stop and make follow when nothing runs (tooling/cli)', () => {
  it('stop says there is nothing to stop and succeeds: no run, a run that ended and was closed, or no local runtime at all', async () => {
    for (const backend of [backendWithLock(undefined), backendWithLock({ running: false }), undefined]) {
      const said: string[] = [];
      expect(await stopCommand('acme', backend, 'stage dev', (line) => void said.push(line))).to.deep.equal({ runId: '', status: 'SUCCEEDED' });
      expect(said.join('\n')).to.match(/nothing to stop/);
    }
  });

  it('follow refuses with one line naming the customer when it has no run going on (exit 2)', async () => {
    for (const backend of [backendWithLock(undefined), backendWithLock({ running: false }), undefined]) {
      const error = await followCommand('acme', backend, 'stage dev', {}, () => undefined).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error).to.be.instanceOf(InvalidInputError);
      expect(error!.message).to.equal('customer acme has no run going on on stage dev: nothing to follow (make report CUSTOMER=acme shows the latest report)');
    }
  });

  it('names the execution that restores a stopped run after the run, on the same state machine', () => {
    expect(executionArnOf('arn:aws:states:eu-west-1:1:stateMachine:fiberplan-migration-dev-migration', restoreName('20261201T080000Z-abc123'))).to.equal(
      'arn:aws:states:eu-west-1:1:execution:fiberplan-migration-dev-migration:20261201T080000Z-abc123-restore',
    );
  });
});
