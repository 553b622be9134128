import { getRunLifecycle, type WrittenReport } from '../../src/control/index.ts';
import { EngineMetrics, fieldsParser, meterSettled } from '../../src/handler/index.ts';

const parse = fieldsParser('report', ['customer', 'runId', 'status'], ['error', 'target', 'redriveOf']);
const metrics = new EngineMetrics();

/**
 * Closes the run, builds its report from the ledger, and writes report.json and report.html; a redrive's writes the report of the run it redrove.
 * What the recount added to the live counters is counted as metrics, so that a run's metrics add up to its report.
 */
export const handler = async (event: unknown): Promise<WrittenReport> => {
  const input = parse(event);
  const { settled, dryRun, ...written } = await getRunLifecycle().report(input);
  meterSettled(metrics, { customer: input.customer, runId: input.redriveOf ?? input.runId, dryRun }, settled);
  return written;
};
