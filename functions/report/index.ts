import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { logger } from '../../src/handler/logger.ts';
import { RunReportWriter } from '../../src/ledger/report-writer.ts';

/** Input: the run, how it ended, and what the restore steps achieved. */
export interface ReportEvent {
  customer: string;
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  error?: { Error?: string; Cause?: string };
  target?: { workflows?: { workflowsRestored?: boolean }; email?: { emailRestored?: boolean } };
  /** Rebuild the report of a finished run (after a redrive) without touching the run's end. */
  refresh?: boolean;
}

const parse = eventParser<ReportEvent>('report', {
  type: 'object',
  required: ['customer', 'runId', 'status'],
  properties: {
    customer: CUSTOMER_SCHEMA,
    runId: { type: 'string', minLength: 1 },
    status: { enum: ['SUCCEEDED', 'FAILED'] },
    error: { type: 'object' },
    target: { type: 'object' },
    refresh: { type: 'boolean' },
  },
});

/** Closes the run (unless refreshing), builds its report from the ledger, and writes report.json and report.html to S3. */
export const handler = async (event: unknown): Promise<{ reportJson: string; reportHtml: string; status: string }> => {
  const { customer, runId, status, error, target, refresh } = parse(event);
  const engine = getEngine();
  if (!refresh) {
    await engine.runs.updateRun(customer, runId, {
      status,
      finishedAt: new Date().toISOString(),
      target: { workflowsRestored: target?.workflows?.workflowsRestored === true, emailRestored: target?.email?.emailRestored === true },
      ...(error ? { error: [error.Error, error.Cause].filter(Boolean).join(': ') } : {}),
    });
  }
  const { keys } = await new RunReportWriter(engine.ledger, engine.runs, engine.store).write(customer, runId);
  logger.info('report written', { customer, runId, status, json: keys.json });
  return { reportJson: engine.store.uri(keys.json), reportHtml: engine.store.uri(keys.html), status };
};
