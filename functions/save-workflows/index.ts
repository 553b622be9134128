import { saveActiveWorkflows } from '../../src/control/target-settings.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';

/** Input: the run that will switch the customer's target workflows off. */
export interface SaveWorkflowsEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  runId: string;
}

const parse = eventParser<SaveWorkflowsEvent>('save-workflows', {
  type: 'object',
  required: ['customer', 'targetRps', 'runId'],
  properties: { customer: CUSTOMER_SCHEMA, targetRps: { type: 'number', exclusiveMinimum: 0 }, runId: { type: 'string', minLength: 1 } },
});

/**
 * Returns the workflows to switch back on at the end of the run: those ACTIVE
 * now, plus those an earlier run switched off and never restored (its process
 * was killed), so a re-run puts the target back as it was before either run.
 * The list is kept in the run record too.
 */
export const handler = async (event: unknown): Promise<{ workflowIds: string[] }> => {
  const { customer, runId, targetRps } = parse(event);
  const engine = getEngine();
  const { runs } = engine;
  const active = await saveActiveWorkflows(await engine.controlClient(customer, targetRps));
  const unfinished = await runs.unfinishedPrevious(customer, runId);
  const workflowIds = [...new Set([...active, ...(unfinished?.savedWorkflowIds ?? [])])].sort();
  await runs.updateRun(customer, runId, { savedWorkflowIds: workflowIds });
  logger.info('saved active workflows', { customer, runId, workflowIds, fromUnfinishedRun: unfinished?.runId });
  return { workflowIds };
};
