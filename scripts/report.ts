/** `make report CUSTOMER=x [STAGE=y]`: prints the customer's latest report and downloads it under reports/. */
import { runCommand, runtimeSettingsFromEnv } from '../src/cli/entry.ts';
import { parseMigrateEnv } from '../src/cli/options.ts';
import { reportCommand } from '../src/cli/report-command.ts';

await runCommand('report', async () => reportCommand(parseMigrateEnv(process.env).customer, process.env.STAGE?.trim() || undefined, runtimeSettingsFromEnv(process.env)));
