import type { Collection } from '../../../src/domain/types.ts';
import { RunReportWriter } from '../../../src/ledger/report-writer.ts';
import type { CollectionProgress, ConsumerCounts, RunRecord } from '../../../src/ledger/types.ts';
import type { LedgerEntry } from '../../../src/ledger/types.ts';
import { expectGolden, GoldenStore } from '../../helpers/golden.ts';

const HOSTILE = '<script>alert(1)</script> & "quoted" \'single\'';

const FINISHED: RunRecord = {
  customer: 'acme',
  runId: 'run-g',
  startedAt: '2026-03-01T08:00:00.000Z',
  finishedAt: '2026-03-01T08:10:00.000Z',
  status: 'FAILED',
  error: `TargetError: 503 ${HOSTILE}`,
  options: { targetRps: 5, note: HOSTILE },
  target: { workflowsRestored: true, emailRestored: false },
  databases: ['fp_acme_north', 'fp_acme_south'],
};

const entry = (collection: Collection, externalRef: string, minute: number, fields: Partial<LedgerEntry>): LedgerEntry => ({
  customer: 'acme',
  collection,
  externalRef,
  runId: 'run-g',
  status: 'migrated',
  attempts: 1,
  updatedAt: `2026-03-01T08:0${minute}:00.000Z`,
  ...fields,
});

/** Every kind of entry the report sorts: created, updated, unchanged, gone from the source (deleted, kept), failed, skipped, no outcome. */
const ENTRIES: Partial<Record<Collection, LedgerEntry[]>> = {
  projects: [
    entry('projects', 'fp_acme_north:projects:1', 1, { targetId: 'prj_1' }),
    entry('projects', 'fp_acme_north:projects:2', 2, { targetId: 'prj_2', delta: 'updated' }),
    entry('projects', 'fp_acme_north:projects:3', 2, { targetId: 'prj_3', delta: 'deletedInSource' }),
    entry('projects', 'fp_acme_south:projects:4', 3, { targetId: 'prj_4', delta: 'deleted' }),
    entry('projects', 'fp_acme_south:projects:5', 3, { targetId: '"><b>prj_5', delta: 'kept', value: 'target_changed' }),
    entry('projects', 'fp_acme_south:projects:6', 4, { status: 'skipped', code: 'completed_project', message: 'project completed' }),
  ],
  connections: [
    entry('connections', 'fp_acme_north:addresses:1', 5, {
      status: 'failed',
      code: 'invalid_value',
      field: 'address.postcode',
      value: '=HYPERLINK("https://evil.example")',
      message: `${HOSTILE}\nnew line 🚧`,
    }),
    entry('connections', 'fp_acme_north:addresses:2', 5, { status: 'queued' }),
    entry('connections', 'fp_acme_south:addresses:3', 6, { status: 'failed', code: 'duplicate', message: "it's a duplicate" }),
    entry('connections', 'fp_acme_south:addresses:4', 7, { targetId: 'con_4', delta: 'unchanged' }),
    entry('connections', 'fp_acme_south:addresses:5', 8, { targetId: 'con_5', delta: 'failed', code: 'target_changed', message: '412 changed' }),
  ],
};

const progress = (source: number, alreadyMigrated: number): CollectionProgress => ({
  source,
  alreadyMigrated,
  queued: source - alreadyMigrated,
  migrated: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  skipped: 0,
});

/** A writer on in-memory entries and run record; the bucket keeps what it stored, in order. */
function writer(run: RunRecord, entries: Partial<Record<Collection, LedgerEntry[]>>) {
  const store = new GoldenStore();
  const ledger = {
    async *entriesOfRun(_runId: string, collection: Collection) {
      yield* entries[collection] ?? [];
    },
  };
  const runs = {
    getRun: async () => run,
    progress: async () => ({ projects: progress(7, 1), connections: progress(5, 0) }),
    settleOutcomes: async (_customer: string, _runId: string, _collection: Collection, counts: ConsumerCounts) => counts,
  };
  return { instance: new RunReportWriter(ledger, runs, store), store };
}

describe('RunReportWriter output, byte for byte (src/ledger/report-writer.ts)', () => {
  it('writes report.json, report.html and the fix lists of a finished run with every kind of entry and hostile values exactly as the golden files', async () => {
    const { instance, store } = writer(FINISHED, ENTRIES);
    await instance.write('acme', 'run-g', new Date('2026-03-01T09:00:00.000Z'), 0);
    expectGolden('run-finished', store.files);
  });

  it('writes the report of a running dry run without failures (empty lists, no fix lists) exactly as the golden files', async () => {
    const { finishedAt: _, error: _error, ...running } = FINISHED;
    const { instance, store } = writer({ ...running, status: 'RUNNING', dryRun: true }, { projects: ENTRIES.projects!.slice(0, 2) });
    await instance.write('acme', 'run-g', new Date('2026-03-01T08:05:00.000Z'), 0);
    expectGolden('run-dry-running', store.files);
  });
});
