import { getCustomerProfile } from '../../src/profile/parameters.ts';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { effectiveSettings, parseRunOverrides } from '../../src/pipeline/run-settings.ts';
import type { RunSettings } from '../../src/pipeline/types.ts';

/** Input: the customer, the run's id, and the options it was started with. */
export interface ConfigureEvent {
  customer: string;
  runId: string;
  options?: Record<string, unknown>;
}

/** Output: everything the rest of the workflow reads. */
export interface ConfiguredRun {
  customer: string;
  runId: string;
  options: RunSettings;
  subprojects: { database: string; label: string | null }[];
}

const parse = eventParser<ConfigureEvent>('configure', {
  type: 'object',
  required: ['customer', 'runId'],
  properties: { customer: CUSTOMER_SCHEMA, runId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,80}$' }, options: { type: 'object' } },
});

/**
 * Fills the run options that were not given from the customer's parameters,
 * lists the active sub-projects, and records the run as the customer's latest.
 */
export const handler = async (event: unknown): Promise<ConfiguredRun> => {
  const { customer, runId, options } = parse(event);
  const engine = getEngine();
  const settings = effectiveSettings(await getCustomerProfile(customer), parseRunOverrides(options));
  const { registry } = await engine.legacy();
  const subprojects = await registry.listSubprojects(customer);
  if (subprojects.length === 0) throw new InvalidInputError(`customer ${customer} has no active sub-project in the registry`, { input: 'customer', issue: customer });
  const previousRunId = await engine.runs.latestRunId(customer);
  await engine.runs.startRun({
    customer,
    runId,
    startedAt: new Date().toISOString(),
    status: 'RUNNING',
    options: { ...settings },
    ...(previousRunId && previousRunId !== runId ? { previousRunId } : {}),
  });
  logger.info('run configured', { customer, runId, subprojects: subprojects.map((s) => s.databaseName) });
  return { customer, runId, options: settings, subprojects: subprojects.map((s) => ({ database: s.databaseName, label: s.label })) };
};
