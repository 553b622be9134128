import { setEmail } from '../../src/control/target-settings.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the e-mail setting email-off found before the run. */
export interface EmailRestoreEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  emailEnabled: boolean;
}

const parse = eventParser<EmailRestoreEvent>('email-restore', {
  type: 'object',
  required: ['customer', 'targetRps', 'emailEnabled'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 }, emailEnabled: { type: 'boolean' } },
});

/** Puts the e-mail setting back; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ emailRestored: boolean }> => {
  const { customer, emailEnabled, targetRps } = parse(event);
  await setEmail(await getEngine().controlClient(customer, targetRps), emailEnabled);
  logger.info('restored e-mail setting', { customer, emailEnabled });
  return { emailRestored: true };
};
