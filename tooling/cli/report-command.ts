import { InvalidInputError } from '../../src/domain/index.ts';
import { awsBackend, localBackend, type Backend } from './backend.ts';
import { startLocalRuntime } from './local-runtime.ts';
import { targetDataDir } from './runtime-state.ts';
import { fetchReport, type MigrateRuntimeSettings, type MigrationOutcome } from './migrate.ts';
import { summaryTable } from './summary.ts';

/** Fetches and prints the report of the customer's latest run. */
export async function showLatestReport(backend: Backend, customer: string, settings: MigrateRuntimeSettings = {}): Promise<MigrationOutcome> {
  const out = settings.out ?? process.stdout;
  const runId = await backend.runs.latestRunId(customer);
  if (!runId) throw new InvalidInputError(`customer ${customer} has no run on ${backend.name} yet`, { input: 'CUSTOMER', issue: customer });
  const run = await backend.runs.getRun(customer, runId);
  const fetched = await fetchReport(backend, customer, runId, settings.reportsDir ?? 'reports');
  out.write(`${summaryTable(fetched.report)}\nreport: ${fetched.reportFiles.json} and ${fetched.reportFiles.html} (${fetched.reportFiles.s3Json})\n`);
  return { runId, status: run?.status ?? fetched.report.status, ...fetched };
}

/**
 * `make report CUSTOMER=x [STAGE=y]`: the latest report, from a deployed
 * stage or from the local runtime state of the target (`targetUrl`, the
 * local stand-in when absent).
 */
export async function reportCommand(
  customer: string,
  stage: string | undefined,
  settings: MigrateRuntimeSettings = {},
  targetUrl?: string,
): Promise<MigrationOutcome> {
  if (stage) return showLatestReport(await awsBackend(stage), customer, settings);
  // Only reads: no consumers, no target, no legacy database.
  const runtime = await startLocalRuntime({
    dataDir: settings.dataDir ?? targetDataDir(targetUrl, settings.runtimeRoot),
    ...(settings.basePort ? { basePort: settings.basePort } : {}),
    eventSources: false,
  });
  try {
    return await showLatestReport(localBackend(runtime), customer, settings);
  } finally {
    await runtime.close();
  }
}
