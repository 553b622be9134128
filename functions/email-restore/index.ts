import { restoreEmail } from '../../src/control/target-settings.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the e-mail setting email-off found before the run. */
export interface EmailRestoreEvent {
  customer: string;
  emailEnabled: boolean;
}

const parse = eventParser<EmailRestoreEvent>('email-restore', {
  type: 'object',
  required: ['customer', 'emailEnabled'],
  properties: { customer: CUSTOMER_SCHEMA, emailEnabled: { type: 'boolean' } },
});

/** Puts the e-mail setting back; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ emailRestored: boolean }> => {
  const { customer, emailEnabled } = parse(event);
  await restoreEmail(await targetClientFor(customer), emailEnabled);
  logger.info('restored e-mail setting', { customer, emailEnabled });
  return { emailRestored: true };
};
