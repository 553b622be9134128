import { switchEmailOff } from '../../src/control/target-settings.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the customer whose e-mail sending the run switches off. */
export interface EmailOffEvent {
  customer: string;
}

const parse = eventParser<EmailOffEvent>('email-off', {
  type: 'object',
  required: ['customer'],
  properties: { customer: CUSTOMER_SCHEMA },
});

/** Switches e-mail off and returns the previous setting for email-restore. */
export const handler = async (event: unknown): Promise<{ emailEnabled: boolean }> => {
  const { customer } = parse(event);
  const emailEnabled = await switchEmailOff(await targetClientFor(customer));
  logger.info('switched e-mail off', { customer, previous: emailEnabled });
  return { emailEnabled };
};
