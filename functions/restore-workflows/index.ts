import { restoreWorkflows } from '../../src/control/target-settings.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { targetClientFor } from '../../src/target/client-cache.ts';

/** Input: the workflows save-workflows found ACTIVE before the run. */
export interface RestoreWorkflowsEvent {
  customer: string;
  workflowIds: string[];
}

const parse = eventParser<RestoreWorkflowsEvent>('restore-workflows', {
  type: 'object',
  required: ['customer', 'workflowIds'],
  properties: { customer: CUSTOMER_SCHEMA, workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } } },
});

/** Switches exactly the saved workflows back on; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ workflowsRestored: boolean }> => {
  const { customer, workflowIds } = parse(event);
  await restoreWorkflows(await targetClientFor(customer), workflowIds);
  logger.info('restored workflows', { customer, workflowIds });
  return { workflowsRestored: true };
};
