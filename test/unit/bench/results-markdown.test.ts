import { expect } from 'chai';
import type { TimelineSummary } from '../../../tooling/local/timeline.ts';
import { renderBenchResults } from '../../../tooling/bench/results-markdown.ts';
import type { CompleteBenchResult } from '../../../tooling/bench/types.ts';

/** A timeline with no lines: the renderer reads only the wall time and each part's busy time. */
function timeline(wallMs: number, [flow, lambda, queue, dynamodb, target]: [number, number, number, number, number]): TimelineSummary {
  return { wallMs, lines: [], parts: { flow, lambda, queue, dynamodb, target } };
}

/** A fixture of the result's shape (not a measurement): one goal not met, the others met. */
function fixture(): CompleteBenchResult {
  return {
    machine: { cpus: 2, model: 'Example CPU @ 2.00GHz', memoryGiB: 24, node: 'v22.19.0' },
    scale: '10',
    rows: 55_175,
    concurrency: 4,
    engine: { records: 60_934, seconds: 226.8, recordsPerSecond: 268.67 },
    naive: { records: 60_934, seconds: 17.9, recordsPerSecond: 3_404.13 },
    engineVsNaive: 0.0789,
    rerun: { firstSeconds: 226.8, rerunSeconds: 16.3, rerunVsFirst: 0.0719 },
    timelines: {
      first: timeline(226_800, [226_750, 220_000, 180_000, 225_000, 200_000]),
      rerun: timeline(16_300, [16_250, 12_000, 3_000, 10_000, 0]),
    },
    demoRerun: { seconds: 8.3, goalSeconds: 10, timeline: timeline(8_300, [8_250, 6_000, 1_500, 5_000, 0]) },
    rate: {
      configured: 50,
      requests: 5_700,
      writeSpanSeconds: 110.2,
      achievedInBusySeconds: 49,
      achievedVsConfigured: 0.98,
      busiestOneSecondWindow: 50,
      runSeconds: 130.4,
    },
  };
}

const DATE = new Date('2026-12-10T14:00:00Z');

/** The verdict column of the row whose figure starts with `name`. */
function verdictOf(markdown: string, name: string): string | undefined {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${name}`));
  return row?.split('|').at(-2)?.trim();
}

describe('bench results markdown (docs/bench/results.md)', () => {
  it('renders the date, the machine, each figure beside its goal and verdict, and where each run’s time went', () => {
    expect(renderBenchResults(fixture(), DATE)).to.equal(
      [
        '# `make bench`: the latest results',
        '',
        'Written by `make bench` on 2026-12-10; each run of every part replaces this file, and git history keeps',
        'the earlier ones. What each part measures is in `scripts/bench.ts`; the dated runs with their analysis are beside',
        'this file in docs/bench/.',
        '',
        '- Machine: 2 cores, Example CPU @ 2.00GHz, 24 GiB, Node v22.19.0.',
        '- Bench customer: SCALE=10, 55,175 rows seeded (clean data), 4 consumers.',
        '- The demo re-run and the rate part use the demo-sized customer (SCALE=1); the rate part at 50 requests/s.',
        '',
        '## Figures and goals',
        '',
        '| figure                                                            | measured                                                                    | goal           | verdict |',
        '| ----------------------------------------------------------------- | --------------------------------------------------------------------------- | -------------- | ------- |',
        '| engine vs naive loop (records/s)                                  | 268.7 / 3,404.1 = 0.08 (60,934 records in 226.8 s against 60,934 in 17.9 s) | at least 0.5   | not met |',
        '| re-run of the migrated dataset vs first run (wall time)           | 16.3 s / 226.8 s = 0.07                                                     | at most 0.10   | met     |',
        '| demo-sized re-run, nothing changed (wall time)                    | 8.3 s                                                                       | at most 10 s   | met     |',
        '| achieved vs configured target rate (50/s, busiest 10% of seconds) | 49.0 / 50 = 0.980                                                           | at least 0.91  | met     |',
        '| busiest one-second window (requests)                              | 50                                                                          | never above 50 | met     |',
        '',
        '## Where the time went',
        '',
        "Busy wall time of each part (any span of it under way) and its share of the run's wall time (`tooling/local/timeline.ts`).",
        '',
        '| run         | wall    | flow           | lambda        | queue         | dynamodb      | target        |',
        '| ----------- | ------- | -------------- | ------------- | ------------- | ------------- | ------------- |',
        '| first run   | 226.8 s | 226.8 s (100%) | 220.0 s (97%) | 180.0 s (79%) | 225.0 s (99%) | 200.0 s (88%) |',
        '| re-run      | 16.3 s  | 16.3 s (100%)  | 12.0 s (74%)  | 3.0 s (18%)   | 10.0 s (61%)  | 0.0 s (0%)    |',
        '| demo re-run | 8.3 s   | 8.3 s (99%)    | 6.0 s (72%)   | 1.5 s (18%)   | 5.0 s (60%)   | 0.0 s (0%)    |',
        '',
      ].join('\n'),
    );
  });

  it('judges each goal on the unrounded figure: a re-run ratio shown as 0.10 but above it is not met', () => {
    const result = fixture();
    result.rerun.rerunVsFirst = 0.1004;
    const markdown = renderBenchResults(result, DATE);
    expect(markdown).to.include('= 0.10 ');
    expect(verdictOf(markdown, 're-run of the migrated dataset')).to.equal('not met');
  });

  it('marks the goals at their bounds met and past them not met', () => {
    const result = fixture();
    result.engineVsNaive = 0.5;
    result.demoRerun.seconds = 10.04;
    result.rate.achievedVsConfigured = 0.909;
    result.rate.busiestOneSecondWindow = 51;
    const markdown = renderBenchResults(result, DATE);
    expect(verdictOf(markdown, 'engine vs naive loop')).to.equal('met');
    expect(verdictOf(markdown, 'demo-sized re-run')).to.equal('not met');
    expect(verdictOf(markdown, 'achieved vs configured')).to.equal('not met');
    expect(verdictOf(markdown, 'busiest one-second window')).to.equal('not met');
  });

  it('says so when node:os did not name the processor model', () => {
    const result = fixture();
    result.machine.model = undefined;
    expect(renderBenchResults(result, DATE)).to.include('- Machine: 2 cores, model unknown, 24 GiB, Node v22.19.0.');
  });
});
