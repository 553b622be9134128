import { DEFAULT_LEGACY_DB_URL } from '../../src/source/index.ts';
import { DEFAULT_BASE_PORT, LOCAL_PORT_COUNT } from '../local/constants.ts';

/*
 * Every variable the CLI reads, defined once: as NAME=value or from the
 * environment (make hands its variables over in it). The run options' own
 * variables (TARGET_RPS, QUEUE_BACKLOG...) are defined with their options
 * (src/profile/run-options.ts). From these come the names the CLI takes
 * (CLI_OPTIONS, options.ts), its --help and docs/environment-variables.md
 * (make docs).
 */

/** What a variable of the CLI is about: which run (before the run options), which systems, the local runtime; `make`: read, but no option. */
export type CliVariableGroup = 'run' | 'systems' | 'runtime' | 'make';

/** One variable of the CLI. */
export interface CliVariable {
  readonly name: string;
  readonly group: CliVariableGroup;
  /** Its value when not given, as the docs show it. */
  readonly default?: string;
  /** One line: what it does. */
  readonly description: string;
}

/** The CLI's variables other than the run options', in the order --help lists them. */
export const CLI_VARIABLES = [
  { name: 'CUSTOMER', group: 'run', description: 'the customer key in fiberplan_registry (required)' },
  { name: 'STAGE', group: 'run', description: 'the deployed stage to work on (dev, prod); absent: the embedded local runtime' },
  { name: 'LEGACY_DB_URL', group: 'systems', default: DEFAULT_LEGACY_DB_URL, description: 'the legacy server (parsed before anything starts)' },
  {
    name: 'FIBERCONNECT_URL',
    group: 'systems',
    description:
      "a real FiberConnect instead of the local stand-in (locally its own ledger; on a stage only the stage's own target is accepted); needs FIBERCONNECT_TOKEN",
  },
  { name: 'FIBERCONNECT_TOKEN', group: 'systems', description: "the customer's bearer token for FIBERCONNECT_URL" },
  {
    name: 'LOCAL_BASE_PORT',
    group: 'runtime',
    default: String(DEFAULT_BASE_PORT),
    description: `first of the local runtime's ${LOCAL_PORT_COUNT} ports (1024 up; the runtime uses it and the next ${LOCAL_PORT_COUNT - 1})`,
  },
  { name: 'LOCAL_DATA_DIR', group: 'runtime', description: "the local runtime's data directory exactly (tests); default: one per target under .local/runtime" },
  {
    name: 'LOCAL_CONSUMER_TIMEOUT_SECONDS',
    group: 'runtime',
    description: "the local consumer's timeout, a whole number of seconds from 1 to 900 (Lambda's limit); default functions/settings.json's",
  },
  {
    name: 'LOCAL_MEMORY_LOG',
    group: 'runtime',
    description:
      "a file the local runtime appends a memory reading to every 2 s (resident set, private and mapped, main thread and each function's instances; what make bench-scale reads)",
  },
  {
    name: 'MAKELEVEL',
    group: 'make',
    description: 'set by make: an unknown option is then said to come "as a make variable or in the environment"',
  },
] as const satisfies readonly CliVariable[];

/** The name of a variable of {@link CLI_VARIABLES}. */
export type CliVariableName = (typeof CLI_VARIABLES)[number]['name'];
