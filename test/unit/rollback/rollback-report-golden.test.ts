import type { RemovalProgress, RunRecord } from '../../../src/ledger/types.ts';
import { RollbackReportWriter } from '../../../src/rollback/rollback-report-writer.ts';
import type { RemovableCollection } from '../../../src/pipeline/types.ts';
import type { RemovalOutcomeEntry } from '../../../src/rollback/types.ts';
import { expectGolden, GoldenStore } from '../../helpers/golden.ts';
import { aRemovalOutcome } from '../../helpers/removal-outcomes.ts';

const FINISHED: RunRecord = {
  customer: 'acme',
  runId: 'rb-g',
  kind: 'rollback',
  startedAt: '2026-03-03T00:00:00.000Z',
  finishedAt: '2026-03-03T00:01:30.000Z',
  status: 'SUCCEEDED',
  options: {},
  previousRunId: 'run-g',
  target: { workflowsRestored: true, emailRestored: true },
};

const outcome = aRemovalOutcome;

/** Every result and kept reason, and hostile values in a target id and an answer. */
const OUTCOMES: Partial<Record<RemovableCollection, RemovalOutcomeEntry[]>> = {
  'planboard-slots': [
    outcome('s:1', 'kept', { reason: 'target_changed' }),
    outcome('s:2', 'alreadyGone'),
    outcome('s:3', 'failed', { message: '400 bad_request' }),
  ],
  documents: [outcome('d:1', 'removed'), outcome('d:2', 'removed')],
  contractors: [outcome('c:1', 'kept', { reason: 'adopted' }), outcome('c:2', 'failed', { message: '400 <img src=x onerror=alert(2)> & "more"' })],
  projects: [outcome('p:<b>1</b>', 'kept', { reason: 'has_children', targetId: '"><script>alert(1)</script>' }), outcome('p:2', 'removed')],
};

/** A writer on in-memory outcomes whose live counters equal the recount; the bucket keeps what it stored, in order. */
function writer(outcomes: Partial<Record<RemovableCollection, RemovalOutcomeEntry[]>>) {
  const store = new GoldenStore();
  const ledger = {
    async *outcomesOfRun(_runId: string, collection: RemovableCollection) {
      yield* outcomes[collection] ?? [];
    },
  };
  const runs = {
    removalProgress: async (): Promise<Partial<Record<RemovableCollection, RemovalProgress>>> => ({}),
    settleRemovals: async () => ({ removed: 0, alreadyGone: 0, kept: 0, failed: 0 }),
  };
  return { instance: new RollbackReportWriter(ledger, runs, store), store };
}

describe('RollbackReportWriter output, byte for byte (src/rollback/rollback-report-writer.ts)', () => {
  it('writes rollback.json and rollback.html of a rollback with every result, kept reason and hostile values exactly as the golden files', async () => {
    const { instance, store } = writer(OUTCOMES);
    await instance.write(FINISHED);
    expectGolden('rollback-finished', store.files);
  });

  it('writes rollback.json and rollback.html of a failed rollback that kept nothing (empty lists, target not restored) exactly as the golden files', async () => {
    const { instance, store } = writer({ documents: [outcome('d:1', 'removed')] });
    const { previousRunId: _, ...failed } = FINISHED;
    await instance.write({ ...failed, status: 'FAILED', error: 'RollbackError: <b>stopped</b>', target: { workflowsRestored: false, emailRestored: false } });
    expectGolden('rollback-failed', store.files);
  });
});
