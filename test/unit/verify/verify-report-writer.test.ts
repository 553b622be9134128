import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Collection } from '../../../src/domain/types.ts';
import type { RunRecord } from '../../../src/ledger/types.ts';
import { HTML_LIST_CAP } from '../../../src/verify/constants.ts';
import type { StoredFigures, VerifyFinding, VerifyList } from '../../../src/verify/types.ts';
import { VerifyReportWriter } from '../../../src/verify/verify-report-writer.ts';

const RUN: RunRecord = {
  customer: 'acme',
  runId: 'v1',
  kind: 'verify',
  startedAt: '2026-02-01T10:00:00.000Z',
  status: 'RUNNING',
  options: {},
  previousRunId: 'r7',
};

/** A writer on in-memory figures and lists; what it stores and how it closes the run, kept. */
function writer(figures: StoredFigures[], lists: Partial<Record<string, VerifyFinding[]>>) {
  const files = new Map<string, string>();
  const updates: Partial<RunRecord>[] = [];
  const instance = new VerifyReportWriter(
    {
      figures: async function* () {
        yield* figures;
      },
      findings: async function* (_customer: string, _runId: string, collection: Collection, list: VerifyList) {
        yield* lists[`${collection}/${list}`] ?? [];
      },
    },
    { getRun: async () => RUN, updateRun: async (_customer, _runId, update) => void updates.push(update) },
    { putFile: async (key, path) => (files.set(key, readFileSync(path, 'utf8')), key) },
  );
  return { instance, files, updates };
}

const NORTH = 'fp_acme_north';
const SOUTH = 'fp_acme_south';
const figures: StoredFigures[] = [
  { collection: 'projects', database: NORTH, balance: { source: 3, migrated: 2, failed: 1 } },
  { collection: 'projects', database: SOUTH, balance: { source: 2, migrated: 1, skipped: 1 } },
  { collection: 'projects', database: SOUTH, balance: { source: 1, notYetRun: 1 } },
  { collection: 'projects', database: NORTH, listed: 2 },
  { collection: 'projects', database: NORTH, ledgerMigrated: 2 },
];

describe('VerifyReportWriter (src/verify/verify-report-writer.ts)', () => {
  it("writes verify.json with the contract's fields: the balance per collection and sub-project, every list in full", async () => {
    const missing = Array.from({ length: HTML_LIST_CAP + 5 }, (_, i) => ({ externalRef: `${NORTH}:projects:${i}`, targetId: `prj_${i}` }));
    const { instance, files, updates } = writer(figures, {
      'projects/missing': missing,
      'projects/changedInTarget': [{ externalRef: `${SOUTH}:projects:1`, targetId: 'prj_s1' }],
    });
    const written = await instance.write('acme', 'v1', 'SUCCEEDED', undefined, new Date('2026-02-01T10:05:00.000Z'));
    expect(written).to.deep.equal({ ok: false, status: 'SUCCEEDED', keys: { json: 'reports/acme/v1/verify.json', html: 'reports/acme/v1/verify.html' } });
    const json = JSON.parse(files.get('reports/acme/v1/verify.json')!);
    expect(json).to.include({
      customer: 'acme',
      runId: 'v1',
      kind: 'verify',
      startedAt: RUN.startedAt,
      finishedAt: '2026-02-01T10:05:00.000Z',
      ok: false,
      latestRunId: 'r7',
    });
    const projects = json.entities.projects;
    expect(projects).to.include({ source: 6, migrated: 3, skipped: 1, failed: 1, notYetRun: 1, listed: 2, ledgerMigrated: 2 });
    expect(projects.missing).to.deep.equal(missing);
    expect(projects.stray).to.deep.equal([]);
    expect(projects.changedInTarget).to.deep.equal([{ externalRef: `${SOUTH}:projects:1`, targetId: 'prj_s1' }]);
    expect(Object.keys(projects.subprojects)).to.deep.equal([NORTH, SOUTH]);
    expect(projects.subprojects[NORTH]).to.include({ source: 3, migrated: 2, failed: 1, missing: HTML_LIST_CAP + 5 });
    expect(projects.subprojects[SOUTH]).to.include({ source: 3, skipped: 1, notYetRun: 1, changedInTarget: 1 });
    expect(json.entities['planboard-slots']).to.include({ source: 0, migrated: 0 });
    expect(updates).to.deep.equal([{ status: 'SUCCEEDED', finishedAt: '2026-02-01T10:05:00.000Z' }]);
  });

  it('caps each list in verify.html and says how many more verify.json has', async () => {
    const missing = Array.from({ length: HTML_LIST_CAP + 5 }, (_, i) => ({ externalRef: `${NORTH}:projects:${i}`, targetId: `prj_${i}` }));
    const { instance, files } = writer(figures, { 'projects/missing': missing });
    await instance.write('acme', 'v1', 'SUCCEEDED');
    const html = files.get('reports/acme/v1/verify.html')!;
    expect(html).to.contain('NOT OK').and.to.contain('projects: missing (55)').and.to.contain('… and 5 more in verify.json');
    expect(html)
      .to.contain(`${NORTH}:projects:${HTML_LIST_CAP - 1}`)
      .and.not.to.contain(`${NORTH}:projects:${HTML_LIST_CAP}<`);
  });

  it('is ok with changes only: changedInTarget and changedInSource are no losses', async () => {
    const { instance } = writer(figures, { 'projects/changedInSource': [{ externalRef: `${NORTH}:projects:1`, targetId: 'prj_1' }] });
    expect((await instance.write('acme', 'v1', 'SUCCEEDED')).ok).to.equal(true);
  });

  it('is never ok when a step failed: nothing is proven, and the error is kept', async () => {
    const { instance, files, updates } = writer(figures, {});
    expect((await instance.write('acme', 'v1', 'FAILED', 'TargetUnavailableError: 503')).ok).to.equal(false);
    expect(JSON.parse(files.get('reports/acme/v1/verify.json')!)).to.include({ status: 'FAILED', ok: false, error: 'TargetUnavailableError: 503' });
    expect(updates[0]).to.include({ status: 'FAILED', error: 'TargetUnavailableError: 503' });
  });

  it('escapes hostile values from either system in verify.html: no element, attribute or script of theirs reaches the page', async () => {
    const hostile = { externalRef: `${NORTH}:projects:<script>alert(1)</script>`, targetId: '"><img src=x onerror=alert(2)>' };
    const { instance, files } = writer(figures, { 'projects/stray': [hostile] });
    await instance.write('acme', 'v1', 'FAILED', '<iframe src="https://evil.example">');
    const html = files.get('reports/acme/v1/verify.html')!;
    expect(html).to.not.match(/<script|<img|<iframe|onerror=alert\(2\)>/);
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.include('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;').and.include('&lt;iframe');
  });
});
