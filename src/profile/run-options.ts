/*
 * Every run option, defined once. From this table come: the types
 * (RunOptionValues, RunOverrides, the profile's RunOptions), the checks of a
 * run's options (src/pipeline/run-settings.ts) and of the CLI's variables
 * (tooling/cli/options.ts), the defaults (effectiveSettings), the `runOptions`
 * part of the profile schema (runOptionsSchema, below) and the table of
 * docs/run-options.md (make docs; make test-static fails when it differs).
 *
 * Why a TypeScript table and not a JSON Schema file: `as const` gives the
 * option names and value types to the compiler directly (no generator such as
 * json-schema-to-ts, and a JSON import widens every name to `string`), and a
 * range may name the code's own constant (MAX_QUEUE_BACKLOG) instead of
 * spelling its number a second time. The JSON Schema is built from the table
 * when the profile validator loads, so there is no generated file to go stale.
 *
 * It lives with the profile, which sets most options and whose schema is
 * built from it; the pipeline, which runs with them, reads it from here.
 */

/**
 * Producers hold back while their collection's queue holds this many messages
 * or more (visible, in flight, delayed), unless the run's `queueBacklog` is
 * lower (src/pipeline/back-pressure.ts); it is also the highest `queueBacklog` may be. A FIFO queue looks for
 * message groups to hand out only among its first 120,000 messages: a deeper
 * backlog leaves groups of later messages idle (docs/scaling.md).
 */
export const MAX_QUEUE_BACKLOG = 100_000;

/** Where a customer profile sets an option (`profiles/<customer>.json`, docs/profiles.md). */
export type ProfileGroup = 'rates' | 'batchSizes' | 'concurrency' | 'runOptions';

/** The shape every entry of {@link RUN_OPTIONS} has. */
export interface RunOptionDefinition {
  /** Its name in a run's input, the profile and the report (`queueBacklog`). */
  readonly name: string;
  /** The CLI's variable (`make migrate QUEUE_BACKLOG=2000`), when a run started from the command line may set it. */
  readonly variable?: string;
  /** `integer`: a whole number (a Wait state's SecondsPath takes whole seconds only). */
  readonly type: 'boolean' | 'number' | 'integer';
  /** Smallest and largest value, both allowed (numbers only). */
  readonly range?: readonly [number, number];
  /** What a number counts (`seconds`, `messages`). */
  readonly unit?: string;
  /**
   * Where a profile sets it. Without {@link default}, every complete profile
   * holds it and its value in profiles/default.json is the default.
   */
  readonly profile?: ProfileGroup;
  /** The value when neither the profile nor the run gives one. */
  readonly default?: boolean | number;
  /** One line: what it does. */
  readonly description: string;
}

/** Every run option: the profile's value (or the default), overridden by a run that gives it. Order: as docs/run-options.md lists them. */
export const RUN_OPTIONS = [
  {
    name: 'migrateCompletedProjects',
    variable: 'MIGRATE_COMPLETED',
    type: 'boolean',
    profile: 'runOptions',
    description: 'also migrate COMPLETED projects and everything under them',
  },
  {
    name: 'migrateOnlyPlanboard',
    variable: 'ONLY_PLANBOARD',
    type: 'boolean',
    profile: 'runOptions',
    description: "only the planboard part of the workflow (after the target's jobs are done)",
  },
  {
    name: 'retryFailed',
    variable: 'RETRY_FAILED',
    type: 'boolean',
    default: false,
    description: 'only the records whose last outcome was a failure',
  },
  {
    name: 'dryRun',
    variable: 'DRY_RUN',
    type: 'boolean',
    default: false,
    description: "the whole run and its report, marked dryRun, without changing FiberConnect or the ledger (its outcomes go to the run's own namespace)",
  },
  {
    name: 'deleteMissing',
    variable: 'DELETE_MISSING',
    type: 'boolean',
    default: false,
    description:
      'delete from FiberConnect the records whose rows are gone from FiberPlan (deletedInSource), children first, with If-Match; never more than deleteMissingMaxShare of a collection',
  },
  {
    name: 'deleteMissingMaxShare',
    variable: 'DELETE_MISSING_MAX',
    type: 'number',
    range: [0, 1],
    unit: 'share',
    profile: 'runOptions',
    default: 0.1,
    description: 'the largest share of a collection deleteMissing deletes; over it for any collection, nothing is deleted and the run fails with one line',
  },
  {
    name: 'targetRps',
    variable: 'TARGET_RPS',
    type: 'number',
    range: [0.1, 10_000],
    unit: 'requests/s',
    profile: 'rates',
    description: 'requests per second to FiberConnect, for the whole customer',
  },
  {
    name: 'sourceRps',
    variable: 'SOURCE_RPS',
    type: 'number',
    range: [0.1, 10_000],
    unit: 'pages/s',
    profile: 'rates',
    description: 'keyset page reads per second on the legacy database, for the whole customer',
  },
  {
    name: 'sourceBatchSize',
    type: 'number',
    range: [1, 10_000],
    unit: 'rows',
    profile: 'batchSizes',
    description: 'rows per keyset page',
  },
  {
    name: 'recordsPerMessage',
    type: 'number',
    range: [1, 100],
    unit: 'records',
    profile: 'batchSizes',
    description: 'records per queue message',
  },
  {
    name: 'producers',
    type: 'number',
    range: [1, 64],
    unit: 'ranges',
    profile: 'concurrency',
    description: 'id ranges of one table read at the same time',
  },
  {
    name: 'messageGroups',
    type: 'number',
    range: [1, 1000],
    unit: 'groups',
    profile: 'concurrency',
    description: 'queue message groups per collection and sub-project: they bound how many consumers work at once',
  },
  {
    name: 'consumers',
    variable: 'CONCURRENCY',
    type: 'number',
    range: [1, 1000],
    unit: 'instances',
    profile: 'concurrency',
    description:
      "consumer instances at once; as CONCURRENCY only on the local runtime, a whole number up to its limit (on a stage it is Terraform's consumer_maximum_concurrency, and CONCURRENCY is refused)",
  },
  {
    name: 'subprojectConcurrency',
    type: 'number',
    range: [1, 40],
    unit: 'sub-projects',
    default: 4,
    description: 'sub-projects migrated side by side',
  },
  {
    name: 'planboardSecondsToWait',
    type: 'integer',
    range: [0, 86_400],
    unit: 'seconds',
    profile: 'runOptions',
    description: 'the planboard jobs wait fails when the pending count has not fallen for this long',
  },
  {
    name: 'planboardPollSeconds',
    type: 'integer',
    range: [1, 3600],
    unit: 'seconds',
    profile: 'runOptions',
    description: 'shortest pause between two looks at the pending planboard jobs (looks grow further apart as the wait goes on)',
  },
  {
    name: 'drainTimeoutSeconds',
    type: 'integer',
    range: [1, 86_400],
    unit: 'seconds',
    profile: 'runOptions',
    description: "a drain wait fails when its queue has made no progress (depth falling, outcomes written) for this long, whatever the collection's size",
  },
  {
    name: 'drainPollSeconds',
    type: 'integer',
    range: [1, 300],
    unit: 'seconds',
    default: 2,
    description: 'shortest pause between two looks at a queue (looks grow further apart as the wait goes on)',
  },
  {
    name: 'queueBacklog',
    variable: 'QUEUE_BACKLOG',
    type: 'number',
    range: [10, MAX_QUEUE_BACKLOG],
    unit: 'messages',
    default: MAX_QUEUE_BACKLOG,
    description:
      "messages a collection's queue may hold before its producers hold back (they go on at half of it); the local runtime starts lower (LOCAL_QUEUE_BACKLOG), where producers and consumers share one thread",
  },
  {
    name: 'maxAttempts',
    type: 'integer',
    range: [1, 20],
    unit: 'tries',
    profile: 'runOptions',
    description: 'tries per target call on 429, 5xx and timeouts within one delivery, before transient_exhausted',
  },
  {
    name: 'requestTimeoutSeconds',
    type: 'number',
    range: [1, 900],
    unit: 'seconds',
    profile: 'runOptions',
    description: 'timeout of one target call',
  },
] as const satisfies readonly RunOptionDefinition[];

type Definition = (typeof RUN_OPTIONS)[number];
type ValueOf<D extends Definition> = D extends { type: 'boolean' } ? boolean : number;

/** The name of a run option. */
export type RunOptionName = Definition['name'];

/** A value for every run option. */
export type RunOptionValues = { [D in Definition as D['name']]: ValueOf<D> };

/** Options a run may be started with; each overrides the customer profile's value. */
export type RunOverrides = Partial<RunOptionValues>;

type InGroup<G extends ProfileGroup> = Extract<Definition, { profile: G }>;

/** The options of one profile group: those without a default are required, the others optional. */
export type ProfileOptions<G extends ProfileGroup> = { [D in Exclude<InGroup<G>, { default: unknown }> as D['name']]: ValueOf<D> } & {
  [D in Extract<InGroup<G>, { default: unknown }> as D['name']]?: ValueOf<D>;
};

/** The `$id` of the profile's `runOptions` schema (profile.schema.json refers to it). */
export const RUN_OPTIONS_SCHEMA_ID = 'https://fiberconnect.example/schemas/run-options.json';

/** The JSON Schema of one option's value. */
function valueSchema(option: RunOptionDefinition): object {
  if (option.type === 'boolean') return { description: option.description, type: 'boolean' };
  const [minimum, maximum] = option.range!;
  return { description: option.description, type: option.type, minimum, maximum };
}

/**
 * The JSON Schema of a profile's `runOptions` object, and in `$defs.complete`
 * what a merged profile must hold of it (every option without a default).
 */
export function runOptionsSchema(): object {
  const options = (RUN_OPTIONS as readonly RunOptionDefinition[]).filter((option) => option.profile === 'runOptions');
  return {
    $id: RUN_OPTIONS_SCHEMA_ID,
    title: "A customer profile's runOptions (generated from src/profile/run-options.ts)",
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(options.map((option) => [option.name, valueSchema(option)])),
    $defs: {
      complete: { type: 'object', required: options.filter((option) => option.default === undefined).map((option) => option.name) },
    },
  };
}

/** The definition of one option. */
export function runOption(name: RunOptionName): RunOptionDefinition {
  return RUN_OPTIONS.find((option) => option.name === name)!;
}
