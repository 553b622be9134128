import type { TimelinePart, TimelineSummary } from '../local/timeline.ts';
import { BENCH_GOALS } from './constants.ts';
import type { CompleteBenchResult } from './types.ts';

/** The timeline's parts in the order a run meets them, as the timeline table's columns. */
const TIMELINE_PARTS: readonly TimelinePart[] = ['flow', 'lambda', 'queue', 'dynamodb', 'target'];

/** A figure with thousands separators and a fixed number of decimals, as the dated bench notes write them. */
function figure(value: number, decimals: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const seconds = (value: number): string => `${figure(value, 1)} s`;
const verdict = (met: boolean): string => (met ? 'met' : 'not met');

/** A Markdown table whose columns are padded to their widest cell, so the file reads as a table in plain text too. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, column) => Math.max(3, cell.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** One row per figure `make bench` prints: what was measured, its goal, and whether it met it (the unrounded value decides). */
function figureRows(result: CompleteBenchResult): string[][] {
  const { engine, naive, rerun, demoRerun, rate } = result;
  return [
    [
      'engine vs naive loop (records/s)',
      `${figure(engine.recordsPerSecond, 1)} / ${figure(naive.recordsPerSecond, 1)} = ${figure(result.engineVsNaive, 2)} ` +
        `(${figure(engine.records, 0)} records in ${seconds(engine.seconds)} against ${figure(naive.records, 0)} in ${seconds(naive.seconds)})`,
      `at least ${BENCH_GOALS.engineVsNaive}`,
      verdict(result.engineVsNaive >= BENCH_GOALS.engineVsNaive),
    ],
    [
      're-run of the migrated dataset vs first run (wall time)',
      `${seconds(rerun.rerunSeconds)} / ${seconds(rerun.firstSeconds)} = ${figure(rerun.rerunVsFirst, 2)}`,
      `at most ${figure(BENCH_GOALS.rerunVsFirst, 2)}`,
      verdict(rerun.rerunVsFirst <= BENCH_GOALS.rerunVsFirst),
    ],
    [
      'demo-sized re-run, nothing changed (wall time)',
      seconds(demoRerun.seconds),
      `at most ${BENCH_GOALS.demoRerunSeconds} s`,
      verdict(demoRerun.seconds <= BENCH_GOALS.demoRerunSeconds),
    ],
    [
      `achieved vs configured target rate (${rate.configured}/s, busiest 10% of seconds)`,
      `${figure(rate.achievedInBusySeconds, 1)} / ${rate.configured} = ${figure(rate.achievedVsConfigured, 3)}`,
      `at least ${BENCH_GOALS.achievedVsConfigured}`,
      verdict(rate.achievedVsConfigured >= BENCH_GOALS.achievedVsConfigured),
    ],
    [
      'busiest one-second window (requests)',
      figure(rate.busiestOneSecondWindow, 0),
      `never above ${rate.configured}`,
      verdict(rate.busiestOneSecondWindow <= rate.configured),
    ],
  ];
}

/** A run's wall time and each part's busy time with its share of the wall time. */
function timelineRow(run: string, timeline: TimelineSummary): string[] {
  const share = (ms: number) => `${Math.round((100 * ms) / Math.max(1, timeline.wallMs))}%`;
  return [run, seconds(timeline.wallMs / 1000), ...TIMELINE_PARTS.map((part) => `${seconds(timeline.parts[part] / 1000)} (${share(timeline.parts[part])})`)];
}

/**
 * docs/bench/results.md: the figures of a run of every part of `make bench`,
 * each beside its goal, then where each run's time went. The file is
 * generated whole by `make bench` and dated with the run; git history keeps
 * the earlier ones.
 *
 * @example
 * writeFileSync(BENCH_RESULTS_MARKDOWN, renderBenchResults(result, new Date()));
 */
export function renderBenchResults(result: CompleteBenchResult, date: Date): string {
  const { machine } = result;
  const lines = [
    '# `make bench`: the latest results',
    '',
    `Written by \`make bench\` on ${date.toISOString().slice(0, 10)}; each run of every part replaces this file, and git history keeps`,
    'the earlier ones. What each part measures is in `scripts/bench.ts`; the dated runs with their analysis are beside',
    'this file in docs/bench/.',
    '',
    `- Machine: ${machine.cpus} cores, ${machine.model ?? 'model unknown'}, ${machine.memoryGiB} GiB, Node ${machine.node}.`,
    `- Bench customer: SCALE=${result.scale}, ${figure(result.rows, 0)} rows seeded (clean data), ${result.concurrency} consumers.`,
    `- The demo re-run and the rate part use the demo-sized customer (SCALE=1); the rate part at ${result.rate.configured} requests/s.`,
    '',
    '## Figures and goals',
    '',
    ...table(['figure', 'measured', 'goal', 'verdict'], figureRows(result)),
    '',
    '## Where the time went',
    '',
    "Busy wall time of each part (any span of it under way) and its share of the run's wall time (`tooling/local/timeline.ts`).",
    '',
    ...table(
      ['run', 'wall', ...TIMELINE_PARTS],
      [timelineRow('first run', result.timelines.first), timelineRow('re-run', result.timelines.rerun), timelineRow('demo re-run', result.demoRerun.timeline)],
    ),
  ];
  return `${lines.join('\n')}\n`;
}
