/** `make report CUSTOMER=x [STAGE=y]`: prints the customer's latest report and downloads it under reports/. */
import { runCommand, runtimeSettingsFromEnv } from '../tooling/cli/entry.ts';
import { parseMigrateEnv } from '../tooling/cli/options.ts';
import { reportCommand } from '../tooling/cli/report-command.ts';

await runCommand('report', async () => reportCommand(parseMigrateEnv(process.env).customer, process.env.STAGE?.trim() || undefined, runtimeSettingsFromEnv(process.env)));
