/**
 * `make redrive CUSTOMER=x [STAGE=y]`: moves dead-lettered messages back,
 * lets the consumers work them off, and prints the refreshed report of the
 * latest run. Locally it starts the runtime (and the stand-in, unless
 * FIBERCONNECT_URL is set) like `make migrate`.
 */
import { awsBackend } from '../tooling/cli/backend.ts';
import { runCommand, runtimeSettingsFromEnv } from '../tooling/cli/entry.ts';
import { withLocalRuntime } from '../tooling/cli/migrate.ts';
import { parseMigrateEnv } from '../tooling/cli/options.ts';
import { redriveAndReport } from '../tooling/cli/redrive-command.ts';

await runCommand('redrive', async () => {
  const options = parseMigrateEnv(process.env);
  const stage = process.env.STAGE?.trim();
  if (stage) return redriveAndReport(await awsBackend(stage), options.customer);
  const settings = runtimeSettingsFromEnv(process.env);
  return withLocalRuntime(options, settings, (backend) => redriveAndReport(backend, options.customer, settings));
});
