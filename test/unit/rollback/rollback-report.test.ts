import { expect } from 'chai';
import { MAX_KEPT_IN_HTML, ROLLBACK_ORDER } from '../../../src/rollback/constants.ts';
import { RollbackReportWriter, type WrittenRollbackReport } from '../../../src/rollback/rollback-report-writer.ts';
import type { RemovableCollection } from '../../../src/pipeline/types.ts';
import type { RemovalOutcomeEntry, RollbackReport } from '../../../src/rollback/types.ts';
import type { RemovalCounts, RemovalProgress, RunRecord } from '../../../src/ledger/types.ts';
import { rollbackSummaryTable } from '../../../tooling/cli/rollback-summary.ts';
import { FakeObjectStore } from '../../helpers/fake-object-store.ts';
import { aRemovalOutcome } from '../../helpers/removal-outcomes.ts';

const run: RunRecord = {
  customer: 'acme',
  runId: 'rb-1',
  startedAt: '2026-12-02T00:00:00.000Z',
  finishedAt: '2026-12-02T00:01:30.000Z',
  status: 'SUCCEEDED',
  options: {},
  kind: 'rollback',
  previousRunId: 'run-1',
  target: { workflowsRestored: true, emailRestored: true },
};

const outcome = aRemovalOutcome;

/** The run table's live removal counters, in memory. */
class LiveRemovalCounters {
  public readonly progress: Partial<Record<RemovableCollection, RemovalProgress>> = {};

  public async removalProgress() {
    return this.progress;
  }

  public async settleRemovals(_customer: string, _runId: string, collection: RemovableCollection, counts: RemovalCounts): Promise<RemovalCounts> {
    const { removed = 0, alreadyGone = 0, kept = 0, failed = 0, source = 0, queued = 0 } = this.progress[collection] ?? {};
    this.progress[collection] = { source, queued, ...counts };
    return { removed, alreadyGone, kept, failed };
  }
}

async function write(
  outcomes: Partial<Record<RemovableCollection, RemovalOutcomeEntry[]>>,
  runs = new LiveRemovalCounters(),
  record = run,
): Promise<{ report: RollbackReport; store: FakeObjectStore } & WrittenRollbackReport> {
  const store = new FakeObjectStore();
  const ledger = {
    async *outcomesOfRun(_runId: string, collection: RemovableCollection) {
      yield* outcomes[collection] ?? [];
    },
  };
  const written = await new RollbackReportWriter(ledger, runs, store).write(record);
  const report = JSON.parse(store.objects.get(written.keys.json)!.body.toString()) as RollbackReport;
  return { report, store, ...written };
}

describe('rollback report (rollback.json and rollback.html)', () => {
  it("has the contract's fields: counts per collection of the removal order, the kept records with their reason, the target's restore", async () => {
    const { report, store, summary } = await write({
      projects: [outcome('p:1', 'removed'), outcome('p:2', 'kept', { reason: 'has_children' })],
      contractors: [outcome('c:1', 'kept', { reason: 'adopted' })],
      'planboard-slots': [
        outcome('s:1', 'kept', { reason: 'target_changed' }),
        outcome('s:2', 'alreadyGone'),
        outcome('s:3', 'failed', { message: '400 bad_request: no' }),
      ],
    });
    expect(Object.keys(report.entities)).to.deep.equal([...ROLLBACK_ORDER]);
    expect(report).to.include({ customer: 'acme', runId: 'rb-1', kind: 'rollback', status: 'SUCCEEDED', startedAt: run.startedAt, finishedAt: run.finishedAt });
    expect(report.entities.projects).to.deep.equal({
      removed: 1,
      alreadyGone: 0,
      failed: 0,
      keptByReason: { has_children: 1 },
      kept: [{ externalRef: 'p:2', targetId: 't-p:2', reason: 'has_children' }],
    });
    expect(report.entities.contractors.keptByReason, 'only the reasons it kept records for').to.deep.equal({ adopted: 1 });
    expect(report.entities['planboard-slots']).to.include({ removed: 0, alreadyGone: 1, failed: 1 });
    expect(report.failures).to.deep.equal([{ collection: 'planboard-slots', externalRef: 's:3', targetId: 't-s:3', message: '400 bad_request: no' }]);
    expect(report.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    expect(store.objects.get('reports/acme/rb-1/rollback.json')!.contentType).to.equal('application/json');
    expect(summary.entities.projects, "the page's figures").to.deep.equal({
      removed: 1,
      alreadyGone: 0,
      failed: 0,
      kept: 1,
      keptByReason: { has_children: 1 },
      keptSample: report.entities.projects.kept,
    });
    expect(summary).to.include({ failures: 1, status: 'SUCCEEDED' });
    const html = store.objects.get('reports/acme/rb-1/rollback.html')!;
    expect(html.contentType).to.match(/^text\/html/);
    expect(html.body.toString())
      .to.include('target_changed')
      .and.include('s:1')
      .and.not.match(/<script|<link|src="http/);
  });

  it('lists at most MAX_KEPT_IN_HTML kept records per collection on the page, all of them in the JSON', async () => {
    const many = Array.from({ length: MAX_KEPT_IN_HTML + 3 }, (_, i) => outcome(`w:${String(i).padStart(4, '0')}`, 'kept', { reason: 'has_children' }));
    const { report, store } = await write({ 'work-orders': many });
    expect(report.entities['work-orders'].kept).to.have.length(MAX_KEPT_IN_HTML + 3);
    expect(report.entities['work-orders'].keptByReason).to.deep.equal({ has_children: MAX_KEPT_IN_HTML + 3 });
    const html = store.objects.get('reports/acme/rb-1/rollback.html')!.body.toString();
    expect(html.match(/<td><code>w:/g)).to.have.length(MAX_KEPT_IN_HTML);
    expect(html).to.include('3 more in rollback.json');
  });

  it('lists at most MAX_KEPT_IN_HTML failures on the page, every one in the JSON in externalRef order', async () => {
    const many = Array.from({ length: MAX_KEPT_IN_HTML + 2 }, (_, i) =>
      outcome(`d:${String(i).padStart(4, '0')}`, 'failed', { message: 'retries used up: 503' }),
    );
    const { report, store } = await write({ documents: many });
    expect(report.failures.map((f) => f.externalRef)).to.deep.equal(many.map((o) => o.externalRef));
    expect(report.entities.documents.failed).to.equal(MAX_KEPT_IN_HTML + 2);
    const html = store.objects.get('reports/acme/rb-1/rollback.html')!.body.toString();
    expect(html.match(/<td><code>d:/g)).to.have.length(MAX_KEPT_IN_HTML);
    expect(html).to.include('2 more in rollback.json');
  });

  it("the CLI's summary table shows the counts and the kept records by reason", async () => {
    const { report } = await write({ contractors: [outcome('c:1', 'kept', { reason: 'adopted' }), outcome('c:2', 'removed')] });
    const table = rollbackSummaryTable(report);
    expect(table).to.match(/contractors\s+1\s+0\s+1\s+0/);
    expect(table).to.include('1  contractors adopted');
    expect(table).to.include('rollback rb-1 SUCCEEDED in 90.0 s');
  });

  it("sets a finished rollback's live counters to the recount where a delivery stopped before counting, says what it replaced, and leaves a running one's alone", async () => {
    const outcomes = { contractors: [outcome('c:1', 'removed'), outcome('c:2', 'removed'), outcome('c:3', 'kept', { reason: 'adopted' })] };
    const runs = new LiveRemovalCounters();
    runs.progress.contractors = { source: 3, queued: 3, removed: 1, alreadyGone: 0, kept: 1, failed: 0 };
    const { finishedAt: _, ...running } = run;

    expect((await write(outcomes, runs, { ...running, status: 'RUNNING' })).settled, 'its removers may still ADD').to.deep.equal([]);
    expect(runs.progress.contractors).to.include({ removed: 1 });

    const { settled } = await write(outcomes, runs);
    expect(settled).to.deep.equal([
      { collection: 'contractors', live: { removed: 1, alreadyGone: 0, kept: 1, failed: 0 }, ledger: { removed: 2, alreadyGone: 0, kept: 1, failed: 0 } },
    ]);
    expect(runs.progress.contractors).to.deep.equal({ source: 3, queued: 3, removed: 2, alreadyGone: 0, kept: 1, failed: 0 });
    expect((await write(outcomes, runs)).settled, 'a second report finds them equal').to.deep.equal([]);
  });

  it('escapes hostile values in rollback.html: a target id, an answer or a reason of theirs is text, never markup', async () => {
    const { store } = await write({
      projects: [outcome('p:<b>1</b>', 'kept', { reason: 'has_children', targetId: '"><script>alert(1)</script>' })],
      contractors: [outcome('c:1', 'failed', { message: '400 <img src=x onerror=alert(2)>' })],
    });
    const html = store.objects.get('reports/acme/rb-1/rollback.html')!.body.toString();
    expect(html).to.not.match(/<script|<img|<b>1/);
    expect(html)
      .to.include('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
      .and.include('&lt;img src=x onerror=alert(2)&gt;')
      .and.include('p:&lt;b&gt;1&lt;/b&gt;');
  });
});
