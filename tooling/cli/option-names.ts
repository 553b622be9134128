/**
 * Which NAME=value arguments and environment variables the CLI takes, and
 * which it refuses as a typo. The CLI's own names are listed by
 * options.ts; this file decides what an unknown one is and what it is near.
 */

/** Prefixes that only the CLI's options and the stand-in's settings use: an environment variable with one of them is the CLI's to know. */
export const OPTION_FAMILY_PREFIXES = ['FIBERCONNECT_', 'LEGACY_', 'LOCAL_'] as const;

/**
 * Edits (insert, delete, replace, swap two neighbours) between two names:
 * the optimal string alignment distance. Hand-written: about fifteen lines
 * for one error message, where a dependency would add a package for it.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known name nearest to `name` (case ignored), when it is near enough to be what was meant. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const ranked = known.map((candidate) => ({ candidate, distance: editDistance(name.toUpperCase(), candidate) })).sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

/** Whether `name` is a typo of a known name: the name in other case, one edit away from a short name (six characters or fewer), two from a longer one. */
function isNearMiss(name: string, known: readonly string[]): boolean {
  const upper = name.toUpperCase();
  return known.some((candidate) => name !== candidate && editDistance(upper, candidate) <= (candidate.length <= 6 ? 1 : 2));
}

/**
 * The environment variables that are unknown options of the CLI: set (not
 * empty), not a name it takes (`options`) nor one it knows and leaves alone
 * (`tolerated`: the stand-in's settings, which a shell may hold for `make
 * target-api`), and of the CLI's family: a name with one of
 * {@link OPTION_FAMILY_PREFIXES}, or a near miss of an option
 * (`DRYRUN`, `TARGETRPS`, `CONCURENCY`). Anything else in the environment
 * (PATH, HOME, AWS_*, CI...) is none of the CLI's business.
 */
export function unknownEnvironmentOptions(env: NodeJS.ProcessEnv, options: readonly string[], tolerated: readonly string[]): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value !== '' && !options.includes(name) && !tolerated.includes(name))
    .map(([name]) => name)
    .filter((name) => OPTION_FAMILY_PREFIXES.some((prefix) => name.startsWith(prefix)) || isNearMiss(name, options))
    .sort();
}

/** `DRYRUN (did you mean DRY_RUN?)`, or the name alone when nothing known is near it. */
export function describeUnknown(name: string, options: readonly string[]): string {
  const near = nearestName(name, options);
  return near ? `${name} (did you mean ${near}?)` : name;
}
