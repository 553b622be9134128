import { deactivateWorkflows } from '../../src/control/target-settings.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the workflows save-workflows found ACTIVE. */
export interface DeactivateWorkflowsEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  workflowIds: string[];
}

const parse = eventParser<DeactivateWorkflowsEvent>('deactivate-workflows', {
  type: 'object',
  required: ['customer', 'targetRps', 'workflowIds'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 }, workflowIds: { type: 'array', items: { type: 'string', minLength: 1 } } },
});

/** Switches the saved workflows off so migrated work orders trigger no e-mail. */
export const handler = async (event: unknown): Promise<{ deactivated: number }> => {
  const { customer, workflowIds, targetRps } = parse(event);
  await deactivateWorkflows(await getEngine().controlClient(customer, targetRps), workflowIds);
  logger.info('deactivated workflows', { customer, workflowIds });
  return { deactivated: workflowIds.length };
};
