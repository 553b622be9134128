import { expect } from 'chai';
import { estimateLine, estimateRun, formatDuration } from '../../../tooling/cli/estimate.ts';
import type { CollectionProgress, RunRecord } from '../../../src/ledger/types.ts';
import { countSource, estimateModeOf, lastEnginePace } from '../../../tooling/cli/plan-run.ts';
import type { MigrateOptions } from '../../../tooling/cli/options.ts';

const RATES = { targetRps: 100, sourceRps: 5, sourceBatchSize: 500 };

describe('the run estimate', () => {
  it('formats durations at the precision a person plans with', () => {
    expect(formatDuration(0.3)).to.equal('under 1 s');
    expect(formatDuration(45)).to.equal('45 s');
    expect(formatDuration(59.6)).to.equal('1 min');
    expect(formatDuration(200)).to.equal('3 min 20 s');
    expect(formatDuration(725)).to.equal('12 min');
    expect(formatDuration(12_700)).to.equal('3 h 32 min');
    expect(formatDuration(7200)).to.equal('2 h');
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 600)).to.equal('2 d 4 h');
    expect(formatDuration(Number.NaN)).to.equal('unknown');
  });

  it('counts one call per record plus the work-order update of every assignment, and takes the calls at the target rate', () => {
    const counts = {
      projects: [100, 50],
      contractors: [10],
      connections: [600_000, 100_000],
      'work-orders': [150_000, 39_000],
      'work-order-updates': [150_000, 39_000],
      documents: [100_000],
      'planboard-slots': [80_000, 11_840],
    };
    const estimate = estimateRun(counts, RATES, 'migrate');
    expect(estimate.records).to.equal(1_081_000);
    expect(estimate.calls).to.equal(1_270_000);
    expect(estimate.upperBound).to.equal(false);
    expect(estimateLine(estimate)).to.equal('about 1,081,000 records, 1,270,000 calls at 100 requests/s: about 3 h 32 min');
  });

  it('reads pages per sub-project and lets the legacy reads set the pace when they are slower than the calls', () => {
    const estimate = estimateRun({ connections: [1001, 1] }, { targetRps: 1000, sourceRps: 0.5, sourceBatchSize: 500 }, 'migrate');
    expect(estimate.pages).to.equal(4);
    expect(estimate.seconds).to.equal(8);
    expect(estimateLine(estimate)).to.equal(
      'about 1,002 records, 1,002 calls at 1,000 requests/s: about 8 s (the legacy reads set the pace: 4 pages at 0.5 pages/s)',
    );
  });

  it("times the calls at an earlier run's pace when the engine kept it below the rate, and says so", () => {
    const estimate = estimateRun({ connections: [600_000] }, { ...RATES, targetRps: 2000 }, 'migrate', { runId: 'run-1', callsPerSecond: 158.4 });
    expect(estimate.seconds).to.be.closeTo(600_000 / 158.4, 1e-6);
    expect(estimateLine(estimate)).to.equal(
      'about 600,000 records, 600,000 calls at 2,000 requests/s: about 1 h 3 min (the engine sets the pace, not the rate: the last run, run-1, kept 158 calls/s)',
    );
  });

  it('keeps the rate when an earlier pace is faster than it, and ignores a pace for a dry run', () => {
    const faster = estimateRun({ projects: [6000] }, RATES, 'migrate', { runId: 'run-1', callsPerSecond: 400 });
    expect(faster.pace).to.equal(undefined);
    expect(faster.seconds).to.equal(60);
    expect(estimateRun({ projects: [6000] }, RATES, 'dry-run', { runId: 'run-1', callsPerSecond: 1 }).pace).to.equal(undefined);
  });

  it('says at most for a re-run, whose ledger skips what is already migrated', () => {
    const estimate = estimateRun({ projects: [6000] }, RATES, 're-run');
    expect(estimateLine(estimate)).to.equal(
      'at most 6,000 records, 6,000 calls at 100 requests/s: at most 1 min (an upper bound: the ledger skips what is already migrated, without a call)',
    );
  });

  it('takes a dry run at the source rate only: pages, no calls', () => {
    const estimate = estimateRun({ projects: [6000], 'work-orders': [2500] }, RATES, 'dry-run');
    expect(estimate.calls).to.equal(0);
    expect(estimateLine(estimate)).to.equal('dry run: about 8,500 records, 17 pages at 5 pages/s: about 3 s');
  });

  it('counts a re-run when the customer has an earlier run or only failures are retried', () => {
    const options = (retryFailed?: boolean): MigrateOptions => ({
      customer: 'acme',
      legacyDbUrl: 'mysql://x',
      overrides: retryFailed === undefined ? {} : { retryFailed },
    });
    expect(estimateModeOf(options(), false)).to.equal('migrate');
    expect(estimateModeOf(options(), true)).to.equal('re-run');
    expect(estimateModeOf(options(true), false)).to.equal('re-run');
  });

  it('estimates a dry run (DRY_RUN=1) at the source rate whatever ran before', () => {
    const options: MigrateOptions = { customer: 'acme', legacyDbUrl: 'mysql://x', overrides: { dryRun: true } };
    expect(estimateModeOf(options, false)).to.equal('dry-run');
    expect(estimateModeOf(options, true)).to.equal('dry-run');
  });

  it('counts each table once per sub-project with COUNT queries spaced at the source rate', async () => {
    const queries: string[] = [];
    const waits: number[] = [];
    const registry = {
      listSubprojects: async () => [
        { id: 1, customer: 'acme', database: 'fp_a', label: null, active: true },
        { id: 2, customer: 'acme', database: 'fp_b', label: null, active: true },
      ],
      countRows: async (database: string, table: string) => {
        queries.push(`${database}.${table}`);
        return database === 'fp_a' ? 3 : 4;
      },
    };
    const counts = await countSource(registry, 'acme', ['work-orders', 'work-order-updates', 'documents'], 4, async (ms) => void waits.push(ms));
    expect(counts).to.deep.equal({ 'work-orders': [3, 4], 'work-order-updates': [3, 4], documents: [3, 4] });
    expect(queries).to.deep.equal(['fp_a.assignments', 'fp_b.assignments', 'fp_a.documents', 'fp_b.documents']);
    expect(waits).to.deep.equal([250, 250, 250, 250]);
  });
});

describe("the last run's pace", () => {
  const counts = (migrated: number, alreadyMigrated = 0): CollectionProgress => ({
    source: migrated + alreadyMigrated,
    alreadyMigrated,
    queued: migrated,
    migrated,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
  });
  const runsWith = (run: Partial<RunRecord> | undefined, progress: Record<string, CollectionProgress>) => ({
    getRun: async () =>
      run ? ({ customer: 'acme', status: 'SUCCEEDED', options: {}, startedAt: '2026-12-01T10:00:00.000Z', ...run } as RunRecord) : undefined,
    progress: async () => progress,
  });
  const rateOf = (options: Record<string, unknown>) => Number(options.targetRps ?? 2000);

  it('is the records sent over the wall time of a finished run that sent well below its rate', async () => {
    const runs = runsWith({ runId: 'run-1', finishedAt: '2026-12-01T10:10:00.000Z' }, { connections: counts(60_000), 'work-orders': counts(30_000) });
    expect(await lastEnginePace(runs, 'acme', 'run-1', rateOf)).to.deep.equal({ runId: 'run-1', callsPerSecond: 150 });
  });

  it('is nothing when the run kept its own rate, is still running, sent too little, mostly skipped records already migrated, or there is none', async () => {
    const finishedAt = '2026-12-01T10:10:00.000Z';
    expect(
      await lastEnginePace(runsWith({ runId: 'r', finishedAt, options: { targetRps: 100 } }, { connections: counts(60_000) }), 'acme', 'r', rateOf),
      'kept 100 requests/s',
    ).to.equal(undefined);
    expect(await lastEnginePace(runsWith({ runId: 'r' }, { connections: counts(60_000) }), 'acme', 'r', rateOf), 'running').to.equal(undefined);
    expect(await lastEnginePace(runsWith({ runId: 'r', finishedAt }, { connections: counts(999) }), 'acme', 'r', rateOf), 'demo-sized').to.equal(undefined);
    expect(await lastEnginePace(runsWith({ runId: 'r', finishedAt }, { connections: counts(5_000, 900_000) }), 'acme', 'r', rateOf), 'a re-run').to.equal(
      undefined,
    );
    expect(await lastEnginePace(runsWith(undefined, {}), 'acme', undefined, rateOf), 'no run').to.equal(undefined);
  });
});
