import { saveActiveWorkflows } from '../../src/control/target-settings.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the customer whose target workflows the run will switch off. */
export interface SaveWorkflowsEvent {
  customer: string;
}

const parse = eventParser<SaveWorkflowsEvent>('save-workflows', {
  type: 'object',
  required: ['customer'],
  properties: { customer: CUSTOMER_SCHEMA },
});

/** Returns the ids of the workflows that are ACTIVE now, for restore-workflows at the end of the run. */
export const handler = async (event: unknown): Promise<{ workflowIds: string[] }> => {
  const { customer } = parse(event);
  const workflowIds = await saveActiveWorkflows(await targetClientFor(customer));
  logger.info('saved active workflows', { customer, workflowIds });
  return { workflowIds };
};
