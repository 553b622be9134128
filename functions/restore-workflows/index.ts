import { restoreWorkflows } from '../../src/control/target-settings.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the workflows save-workflows found ACTIVE before the run. */
export interface RestoreWorkflowsEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  workflowIds: string[];
}

const parse = eventParser<RestoreWorkflowsEvent>('restore-workflows', {
  type: 'object',
  required: ['customer', 'targetRps', 'workflowIds'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 }, workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } } },
});

/** Switches exactly the saved workflows back on; runs on success and in every Catch. */
export const handler = async (event: unknown): Promise<{ workflowsRestored: boolean }> => {
  const { customer, workflowIds, targetRps } = parse(event);
  await restoreWorkflows(await getEngine().controlClient(customer, targetRps), workflowIds);
  logger.info('restored workflows', { customer, workflowIds });
  return { workflowsRestored: true };
};
