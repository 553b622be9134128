/**
 * Most requests that fall in any one-second window (a sliding window over
 * the arrival times, in ms): what a rate limit of N per second must keep at
 * or below N. Used by the benchmark and the rate tests on the stand-in's
 * request log.
 */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
