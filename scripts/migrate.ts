/**
 * `make migrate CUSTOMER=x [STAGE=y]`: one customer's migration, with live
 * progress and the report at the end; on the embedded local runtime, or on a
 * deployed stage when STAGE is set. Exit codes: see tooling/cli/entry.ts.
 */
import { runCommand, runtimeSettingsFromEnv } from '../tooling/cli/entry.ts';
import { migrateLocally, migrateOnAws } from '../tooling/cli/migrate.ts';
import { parseMigrateEnv } from '../tooling/cli/options.ts';

await runCommand('migrate', async () => {
  const options = parseMigrateEnv(process.env);
  const stage = process.env.STAGE?.trim();
  return stage ? migrateOnAws(options, stage) : migrateLocally(options, runtimeSettingsFromEnv(process.env));
});
