import { getRunLifecycle } from '../../src/control/index.ts';
import { InvalidInputError } from '../../src/domain/index.ts';
import { fieldsParser, getEngine, logger } from '../../src/handler/index.ts';
import { RollbackReportWriter } from '../../src/rollback/index.ts';

const parse = fieldsParser('rollback-report', ['customer', 'runId', 'status'], ['error', 'target']);

/** Closes the rollback run as a migration's is closed, then writes rollback.json and rollback.html. */
export const handler = async (event: unknown): Promise<{ rollbackJson: string; rollbackHtml: string; status: string }> => {
  const input = parse(event);
  await getRunLifecycle().closeRun(input);
  const engine = getEngine();
  const run = await engine.runs.getRun(input.customer, input.runId);
  if (!run) throw new InvalidInputError(`no run ${input.runId} of customer ${input.customer}`, { input: 'runId', issue: input.runId });
  const { keys, summary, settled } = await new RollbackReportWriter(engine.removals, engine.runs, engine.store).write(run);
  for (const { collection, live, ledger } of settled)
    logger.warn('live counters differed from the ledger: set to it', { customer: input.customer, runId: input.runId, collection, live, ledger });
  logger.info('rollback report written', { customer: input.customer, runId: input.runId, status: summary.status, json: keys.json });
  return { rollbackJson: engine.store.uri(keys.json), rollbackHtml: engine.store.uri(keys.html), status: summary.status };
};
