/** Exit codes of every CLI command (`fiberplan-migrate`, and the scripts behind `make`). */
export const EXIT_CODES = {
  /** The run completed, also with failed records: read the report. */
  completed: 0,
  /** The run failed (or the command failed after it started changing things). */
  failed: 1,
  /** Bad input, the legacy database, the target or the local runtime unreachable at the start, or the customer's run still going: nothing changed. */
  badInput: 2,
  /** Ctrl-C, detach: the CLI left, the run goes on (make follow, make stop). */
  detached: 130,
} as const;

/** The commands of `fiberplan-migrate`. */
export const COMMANDS = ['migrate', 'report', 'redrive', 'verify', 'rollback', 'stop', 'follow'] as const;
