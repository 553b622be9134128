import { setEmail } from '../../src/control/target-settings.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the run that switches the customer's e-mail sending off. */
export interface EmailOffEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  runId: string;
}

const parse = eventParser<EmailOffEvent>('email-off', {
  type: 'object',
  required: ['customer', 'targetRps', 'runId'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 }, runId: { type: 'string', minLength: 1 } },
});

/**
 * Remembers the e-mail setting to restore (the one an unfinished earlier run
 * found, if any: it may have left e-mail off), stores it in the run record,
 * then switches e-mail off.
 */
export const handler = async (event: unknown): Promise<{ emailEnabled: boolean }> => {
  const { customer, runId, targetRps } = parse(event);
  const engine = getEngine();
  const { runs } = engine;
  const client = await engine.controlClient(customer, targetRps);
  const unfinished = await runs.unfinishedPrevious(customer, runId);
  const emailEnabled = unfinished?.savedEmailEnabled ?? (await client.getNotifications()).emailEnabled;
  // Saved before the switch: a kill right after it still knows what to restore.
  await runs.updateRun(customer, runId, { savedEmailEnabled: emailEnabled });
  await setEmail(client, false);
  logger.info('switched e-mail off', { customer, runId, previous: emailEnabled, fromUnfinishedRun: unfinished?.runId });
  return { emailEnabled };
};
