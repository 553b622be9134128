import { getRunLifecycle, type WrittenReport } from '../../src/control/index.ts';
import { fieldsParser } from '../../src/handler/index.ts';

const parse = fieldsParser('report', ['customer', 'runId', 'status'], ['error', 'target', 'redriveOf']);

/** Closes the run, builds its report from the ledger, and writes report.json and report.html; a redrive's writes the report of the run it redrove. */
export const handler = async (event: unknown): Promise<WrittenReport> => getRunLifecycle().report(parse(event));
