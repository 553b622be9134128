/** Exit codes of every CLI command (`fiberplan-migrate`, and the scripts behind `make`). */
export const EXIT_CODES = {
  /** The run completed, also with failed records: read the report. */
  completed: 0,
  /** The run failed (or the command failed after it started changing things). */
  failed: 1,
  /** Bad input, or the legacy database, the target or the local runtime unreachable at the start: nothing changed. */
  badInput: 2,
} as const;

/** The commands of `fiberplan-migrate`. */
export const COMMANDS = ['migrate', 'report', 'redrive', 'verify', 'rollback'] as const;
