import type { RunnableTiming, TestFileResult } from './types.ts';

/** A test or hook with the file it ran in and the share of its timeout it used. */
export interface TimeoutUse extends RunnableTiming {
  file: string;
  /** durationMs / timeoutMs: above 0.5, a loaded machine may turn the test's verdict into a timeout. */
  share: number;
}

/** The share of its timeout above which a test or hook is flagged: its work came within half of it. */
export const TIMEOUT_SHARE_FLAG = 0.5;

/**
 * The `count` tests and hooks of a run that came closest to their timeouts,
 * closest first (a timeout of 0 is none, never close).
 *
 * @example
 * closestToTimeout(summary.results, 5).map((use) => `${(use.share * 100).toFixed(0)}% ${use.title}`);
 */
export function closestToTimeout(results: readonly TestFileResult[], count: number): TimeoutUse[] {
  return results
    .flatMap((result) =>
      (result.report?.timings ?? [])
        .filter((timing) => timing.timeoutMs > 0)
        .map((timing) => ({ ...timing, file: result.file, share: timing.durationMs / timing.timeoutMs })),
    )
    .sort((a, b) => b.share - a.share)
    .slice(0, count);
}
