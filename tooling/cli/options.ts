import { CUSTOMER_KEY, InvalidInputError } from '../../src/domain/index.ts';
import { RUN_OPTIONS, type RunOptionDefinition, type RunOverrides } from '../../src/profile/index.ts';
import { parseRunOverrides } from '../../src/pipeline/index.ts';
import { parseLegacyDbUrl } from '../../src/source/mysql/index.ts';
import { DEFAULT_LEGACY_DB_URL } from '../../src/source/index.ts';
import { LOCAL_MAX_CONSUMERS } from '../local/constants.ts';
import { CLI_VARIABLES, type CliVariableGroup } from './variables.ts';

/** What `make migrate` was asked to do. */
export interface MigrateOptions {
  customer: string;
  legacyDbUrl: string;
  /** LEGACY_DB_URL was given (not the default): on a stage only then is the source counted from here. */
  legacyDbUrlGiven?: boolean;
  /** FiberConnect to migrate into; the local stand-in is started when absent. */
  targetUrl?: string;
  targetToken?: string;
  /** Run options given on the command line; the customer profile fills the rest. */
  overrides: RunOverrides;
}

const namesOf = (group: CliVariableGroup): string[] => CLI_VARIABLES.filter((variable) => variable.group === group).map((variable) => variable.name);

/** The run options a CLI variable sets, by variable: the flags (1 or 0) first, then the numbers, each in the order of RUN_OPTIONS. */
const RUN_OPTION_VARIABLES: ReadonlyMap<string, RunOptionDefinition> = new Map(
  [...RUN_OPTIONS.filter((option) => option.type === 'boolean'), ...RUN_OPTIONS.filter((option) => option.type !== 'boolean')].flatMap((option) =>
    'variable' in option ? [[option.variable, option] as const] : [],
  ),
);

/** Every NAME the CLI's commands take, as NAME=value or from the environment; any other is refused (option-names.ts). */
export const CLI_OPTIONS: readonly string[] = [...namesOf('run'), ...RUN_OPTION_VARIABLES.keys(), ...namesOf('systems'), ...namesOf('runtime')];

function flag(name: string, value: string): boolean {
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new InvalidInputError(`${name} must be 1 or 0 (got "${value}")`, { input: name, issue: value });
}

/** The value a variable of a run option gives: a flag is 1 or 0 (true/false, yes/no), a number is digits with a decimal point at most. */
function optionValue(name: string, option: RunOptionDefinition, value: string): boolean | number {
  if (option.type === 'boolean') return flag(name, value);
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidInputError(`${name} must be a positive number (got "${value}")`, { input: name, issue: value });
  return Number(value);
}

/** The run options the variables give, checked as a run's options are (run-settings.ts); a bad one is one line naming the variable. */
function parseOverrides(env: NodeJS.ProcessEnv): RunOverrides {
  const overrides: Record<string, unknown> = {};
  for (const [name, option] of RUN_OPTION_VARIABLES) if (env[name]) overrides[option.name] = optionValue(name, option, env[name]);
  try {
    return parseRunOverrides(overrides);
  } catch (error) {
    // Say which make variable it came from: that is what the user typed.
    const option = (error as InvalidInputError).context?.input;
    const variable = [...RUN_OPTION_VARIABLES].find(([, definition]) => definition.name === option)?.[0];
    if (!variable) throw error;
    throw new InvalidInputError(`${variable}: ${(error as Error).message}`, { input: variable, issue: 'out of range' });
  }
}

/** Reads the make variables from the environment; any bad value is one {@link InvalidInputError} naming it. */
export function parseMigrateEnv(env: NodeJS.ProcessEnv): MigrateOptions {
  const customer = env.CUSTOMER?.trim();
  if (!customer) throw new InvalidInputError('CUSTOMER is required, e.g. make migrate CUSTOMER=demo', { input: 'CUSTOMER', issue: 'missing' });
  if (!CUSTOMER_KEY.test(customer))
    throw new InvalidInputError(`CUSTOMER "${customer}" is not a customer key (lower-case letters, digits, - and _)`, { input: 'CUSTOMER', issue: customer });
  const parsed = parseOverrides(env);
  checkConcurrency(env, parsed);
  const legacyDbUrl = env.LEGACY_DB_URL?.trim() || DEFAULT_LEGACY_DB_URL;
  // Parsed here, not first when the legacy database is opened: a bad URL is bad input before anything starts.
  parseLegacyDbUrl(legacyDbUrl);
  const targetUrl = env.FIBERCONNECT_URL?.trim() || undefined;
  const targetToken = env.FIBERCONNECT_TOKEN?.trim() || undefined;
  if (targetUrl && !targetToken)
    throw new InvalidInputError("FIBERCONNECT_URL is set but FIBERCONNECT_TOKEN is not: give the customer's token too", {
      input: 'FIBERCONNECT_TOKEN',
      issue: 'missing',
    });
  if (targetUrl && !/^https?:\/\//.test(targetUrl))
    throw new InvalidInputError(`FIBERCONNECT_URL must start with http:// or https:// (got "${targetUrl}")`, { input: 'FIBERCONNECT_URL', issue: targetUrl });
  return {
    customer,
    legacyDbUrl,
    ...(env.LEGACY_DB_URL?.trim() ? { legacyDbUrlGiven: true } : {}),
    ...(targetUrl ? { targetUrl, targetToken } : {}),
    overrides: parsed,
  };
}

/**
 * CONCURRENCY is honoured where it can be: locally it is the consumer
 * function's instances (at most {@link LOCAL_MAX_CONSUMERS}); on a stage
 * the event source's maximum concurrency is Terraform's
 * (`consumer_maximum_concurrency`), shared by every customer, so a run
 * cannot change it and the option is refused rather than ignored.
 */
function checkConcurrency(env: NodeJS.ProcessEnv, overrides: RunOverrides): void {
  if (overrides.consumers === undefined) return;
  if (env.STAGE?.trim()) {
    throw new InvalidInputError(
      "CONCURRENCY cannot be set for a run on a stage: the consumers' maximum concurrency is the stage's (consumer_maximum_concurrency in its tfvars, docs/deploy.md)",
      { input: 'CONCURRENCY', issue: 'stage' },
    );
  }
  if (!Number.isInteger(overrides.consumers) || overrides.consumers > LOCAL_MAX_CONSUMERS) {
    throw new InvalidInputError(`CONCURRENCY must be a whole number from 1 to ${LOCAL_MAX_CONSUMERS} on the local runtime (got "${env.CONCURRENCY}")`, {
      input: 'CONCURRENCY',
      issue: String(env.CONCURRENCY),
    });
  }
}
