import { deactivateWorkflows } from '../../src/control/target-settings.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the workflows save-workflows found ACTIVE. */
export interface DeactivateWorkflowsEvent {
  customer: string;
  workflowIds: string[];
}

const parse = eventParser<DeactivateWorkflowsEvent>('deactivate-workflows', {
  type: 'object',
  required: ['customer', 'workflowIds'],
  properties: { customer: CUSTOMER_SCHEMA, workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } } },
});

/** Switches the saved workflows off so migrated work orders trigger no e-mail. */
export const handler = async (event: unknown): Promise<{ deactivated: number }> => {
  const { customer, workflowIds } = parse(event);
  await deactivateWorkflows(await targetClientFor(customer), workflowIds);
  logger.info('deactivated workflows', { customer, workflowIds });
  return { deactivated: workflowIds.length };
};
