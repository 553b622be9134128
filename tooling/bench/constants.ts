/**
 * The goals of `make bench`'s figures: what it prints beside each ratio and
 * what docs/bench/results.md marks met or not met.
 */
export const BENCH_GOALS = {
  /** The engine's records per second against the naive loop's: at least this. */
  engineVsNaive: 0.5,
  /** The re-run of the migrated dataset against the first run, in wall time: at most this. */
  rerunVsFirst: 0.1,
  /** A demo-sized re-run with nothing changed: at most this many seconds. */
  demoRerunSeconds: 10,
  /** The achieved target rate against the configured one: at least this (the limiter hands out 0.926 of the rate: headroom for a busy host). */
  achievedVsConfigured: 0.91,
} as const;

/** Where `make bench` writes the figures of a run of every part (the repository's one copy of them). */
export const BENCH_RESULTS_MARKDOWN = 'docs/bench/results.md';
