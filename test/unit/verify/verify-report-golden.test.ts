import type { Collection } from '../../../src/domain/types.ts';
import type { RunRecord } from '../../../src/ledger/types.ts';
import { HTML_LIST_CAP } from '../../../src/verify/constants.ts';
import type { StoredFigures, VerifyFinding, VerifyList } from '../../../src/verify/types.ts';
import { VerifyReportWriter } from '../../../src/verify/verify-report-writer.ts';
import { expectGolden, GoldenStore } from '../../helpers/golden.ts';

const RUN: RunRecord = {
  customer: 'acme',
  runId: 'v-g',
  kind: 'verify',
  startedAt: '2026-03-02T10:00:00.000Z',
  status: 'RUNNING',
  options: {},
  previousRunId: 'run-g',
};

const NORTH = 'fp_acme_north';
const SOUTH = 'fp_acme_south';

const FIGURES: StoredFigures[] = [
  { collection: 'projects', database: SOUTH, balance: { source: 2, migrated: 1, skipped: 1 } },
  { collection: 'projects', database: NORTH, balance: { source: 3, migrated: 2, failed: 1 } },
  { collection: 'projects', database: NORTH, listed: 2, ledgerMigrated: 2 },
  { collection: 'connections', database: NORTH, balance: { source: 1234, migrated: 1233, notYetRun: 1 } },
];

/** Lists of every kind: one past the page's cap, one with hostile values from either system, one of changes only. */
const LISTS: Partial<Record<string, VerifyFinding[]>> = {
  'projects/missing': Array.from({ length: HTML_LIST_CAP + 2 }, (_, i) => ({ externalRef: `${NORTH}:projects:${i}`, targetId: `prj_${i}` })),
  'connections/stray': [{ externalRef: `${SOUTH}:addresses:<script>alert(1)</script>`, targetId: '"><img src=x onerror=alert(2)>' }],
  'connections/changedInTarget': [{ externalRef: `${NORTH}:addresses:7`, targetId: "con_7 & 'co'" }],
};

/** A writer on in-memory figures and lists; the bucket keeps what it stored, in order. */
function writer(lists: Partial<Record<string, VerifyFinding[]>>) {
  const store = new GoldenStore();
  const instance = new VerifyReportWriter(
    {
      figures: async function* () {
        yield* FIGURES;
      },
      findings: async function* (_customer: string, _runId: string, collection: Collection, list: VerifyList) {
        yield* lists[`${collection}/${list}`] ?? [];
      },
    },
    { getRun: async () => RUN, updateRun: async () => undefined },
    store,
  );
  return { instance, store };
}

describe('VerifyReportWriter output, byte for byte (src/verify/verify-report-writer.ts)', () => {
  it('writes verify.json and verify.html of a failed verification with lists past the cap and hostile values exactly as the golden files', async () => {
    const { instance, store } = writer(LISTS);
    await instance.write('acme', 'v-g', 'FAILED', 'TargetUnavailableError: <iframe src="https://evil.example">', new Date('2026-03-02T10:05:00.000Z'));
    expectGolden('verify-failed', store.files);
  });

  it('writes verify.json and verify.html of a verification that found nothing (every list empty) exactly as the golden files', async () => {
    const { instance, store } = writer({});
    await instance.write('acme', 'v-g', 'SUCCEEDED', undefined, new Date('2026-03-02T10:05:00.000Z'));
    expectGolden('verify-ok', store.files);
  });
});
