import type { TimelineSummary } from '../local/timeline.ts';

/** The machine a bench ran on, as `make bench` reads it from node:os. */
export interface BenchMachine {
  cpus: number;
  model: string | undefined;
  memoryGiB: number;
  node: string;
}

/** Records sent to the target in one run and its wall time. */
export interface BenchThroughput {
  records: number;
  seconds: number;
  recordsPerSecond: number;
}

/** Part `speed`: the engine against the naive loop, and the re-run of the migrated dataset. */
export interface BenchSpeed {
  engine: BenchThroughput;
  naive: BenchThroughput;
  engineVsNaive: number;
  rerun: { firstSeconds: number; rerunSeconds: number; rerunVsFirst: number };
  timelines: { first: TimelineSummary; rerun: TimelineSummary };
}

/** Part `demo`: a re-run of the demo-sized customer with nothing changed. */
export interface BenchDemo {
  demoRerun: { seconds: number; goalSeconds: number; timeline: TimelineSummary };
}

/** Part `rate`: a fresh run of the demo-sized customer at the configured target rate. */
export interface BenchRate {
  rate: {
    configured: number;
    requests: number;
    writeSpanSeconds: number;
    /** The busiest 10% of seconds, averaged: the rate while requests flowed. */
    achievedInBusySeconds: number;
    achievedVsConfigured: number;
    busiestOneSecondWindow: number;
    runSeconds: number;
  };
}

/** What every run of `make bench` records, whichever parts it ran. */
export interface BenchSetting {
  machine: BenchMachine;
  scale: string;
  /** Rows seeded for the bench customer; 0 when the speed part did not run. */
  rows: number;
  concurrency: number;
}

/** `.local/bench/result.json`: the setting and the parts that ran (BENCH_PARTS). */
export type BenchResult = BenchSetting & Partial<BenchSpeed> & Partial<BenchDemo> & Partial<BenchRate>;

/** A run of every part: what docs/bench/results.md is rendered from. */
export type CompleteBenchResult = BenchSetting & BenchSpeed & BenchDemo & BenchRate;
