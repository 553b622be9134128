import { InvalidInputError } from '../domain/errors.ts';
import type { ResolvedProfile } from '../profile/types.ts';
import { MAX_QUEUE_BACKLOG } from './back-pressure.ts';
import type { RunSettings } from './types.ts';

/** Options a run may be started with; each overrides the customer profile's value. */
export type RunOverrides = Partial<
  Pick<
    RunSettings,
    | 'migrateCompletedProjects'
    | 'migrateOnlyPlanboard'
    | 'retryFailed'
    | 'dryRun'
    | 'deleteMissing'
    | 'targetRps'
    | 'sourceRps'
    | 'consumers'
    | 'producers'
    | 'messageGroups'
    | 'sourceBatchSize'
    | 'recordsPerMessage'
    | 'planboardSecondsToWait'
    | 'planboardPollSeconds'
    | 'drainTimeoutSeconds'
    | 'drainPollSeconds'
    | 'queueBacklog'
    | 'subprojectConcurrency'
    | 'maxAttempts'
    | 'requestTimeoutSeconds'
  >
>;

const BOOLEAN_OPTIONS = ['migrateCompletedProjects', 'migrateOnlyPlanboard', 'retryFailed', 'dryRun', 'deleteMissing'] as const;
/** Numeric options and their valid ranges (inclusive). */
const NUMERIC_OPTIONS: Readonly<Record<Exclude<keyof RunOverrides, (typeof BOOLEAN_OPTIONS)[number]>, readonly [number, number]>> = {
  targetRps: [0.1, 10_000],
  sourceRps: [0.1, 10_000],
  consumers: [1, 1000],
  producers: [1, 64],
  messageGroups: [1, 1000],
  sourceBatchSize: [1, 10_000],
  recordsPerMessage: [1, 100],
  planboardSecondsToWait: [0, 86_400],
  planboardPollSeconds: [1, 3600],
  drainTimeoutSeconds: [1, 86_400],
  drainPollSeconds: [1, 300],
  queueBacklog: [10, MAX_QUEUE_BACKLOG],
  subprojectConcurrency: [1, 40],
  maxAttempts: [1, 20],
  requestTimeoutSeconds: [1, 900],
};

/** Options a Wait state reads through SecondsPath, which takes whole seconds only. */
const WHOLE_SECONDS_OPTIONS: readonly string[] = ['planboardSecondsToWait', 'planboardPollSeconds', 'drainTimeoutSeconds', 'drainPollSeconds'];

/** Shortest pause between two looks at a queue's depth, unless the run says otherwise. */
const DEFAULT_DRAIN_POLL_SECONDS = 2;
/** Sub-projects migrated side by side, unless the run says otherwise. */
const DEFAULT_SUBPROJECT_CONCURRENCY = 4;

/** Checks run options from a caller (CLI, state machine input): every unknown name or bad value is an {@link InvalidInputError}. */
export function parseRunOverrides(input: unknown): RunOverrides {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input))
    throw new InvalidInputError('run options must be an object', { input: 'options', issue: 'not an object' });
  const overrides: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if ((BOOLEAN_OPTIONS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw new InvalidInputError(`option ${name} must be true or false`, { input: name, issue: String(value) });
    } else if (name in NUMERIC_OPTIONS) {
      const [min, max] = NUMERIC_OPTIONS[name as keyof typeof NUMERIC_OPTIONS];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        throw new InvalidInputError(`option ${name} must be a number from ${min} to ${max}`, { input: name, issue: String(value) });
      }
      if (WHOLE_SECONDS_OPTIONS.includes(name) && !Number.isInteger(value)) {
        throw new InvalidInputError(`option ${name} must be a whole number of seconds`, { input: name, issue: String(value) });
      }
    } else {
      throw new InvalidInputError(`unknown run option ${name}`, { input: name, issue: 'unknown' });
    }
    overrides[name] = value;
  }
  return overrides as RunOverrides;
}

/** The run's effective settings: the profile, then the overrides. */
export function effectiveSettings(profile: ResolvedProfile, overrides: RunOverrides = {}): RunSettings {
  return {
    migrateCompletedProjects: profile.runOptions.migrateCompletedProjects,
    migrateOnlyPlanboard: profile.runOptions.migrateOnlyPlanboard,
    retryFailed: false,
    dryRun: false,
    deleteMissing: false,
    targetRps: profile.rates.targetRps,
    sourceRps: profile.rates.sourceRps,
    sourceBatchSize: profile.batchSizes.sourceBatchSize,
    recordsPerMessage: profile.batchSizes.recordsPerMessage,
    consumerBatchSize: profile.batchSizes.consumerBatchSize,
    producers: profile.concurrency.producers,
    messageGroups: profile.concurrency.messageGroups,
    consumers: profile.concurrency.consumers,
    subprojectConcurrency: DEFAULT_SUBPROJECT_CONCURRENCY,
    planboardSecondsToWait: profile.runOptions.planboardSecondsToWait,
    planboardPollSeconds: profile.runOptions.planboardPollSeconds,
    drainTimeoutSeconds: profile.runOptions.drainTimeoutSeconds,
    drainPollSeconds: DEFAULT_DRAIN_POLL_SECONDS,
    queueBacklog: MAX_QUEUE_BACKLOG,
    maxAttempts: profile.runOptions.maxAttempts,
    requestTimeoutSeconds: profile.runOptions.requestTimeoutSeconds,
    ...overrides,
  };
}
