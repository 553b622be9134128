/**
 * `make migrate CUSTOMER=x`: one customer's migration on the embedded local
 * runtime, with live progress and the report at the end. Exits 0 when the run
 * completed (even with failed records), 1 when it failed, 2 on bad input.
 *
 * Developer knobs (tests use them to run side by side with a developer's
 * runtime): LOCAL_DATA_DIR, LOCAL_BASE_PORT, LOCAL_CONSUMER_TIMEOUT_SECONDS.
 */
import { InvalidInputError, MigrationError } from '../src/domain/errors.ts';
import { describeError, migrateLocally } from '../src/cli/migrate.ts';
import { parseMigrateEnv } from '../src/cli/options.ts';

const number = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

try {
  const outcome = await migrateLocally(parseMigrateEnv(process.env), {
    ...(process.env.LOCAL_DATA_DIR ? { dataDir: process.env.LOCAL_DATA_DIR } : {}),
    ...(number('LOCAL_BASE_PORT') ? { basePort: number('LOCAL_BASE_PORT') } : {}),
    ...(number('LOCAL_CONSUMER_TIMEOUT_SECONDS') ? { consumerTimeoutSeconds: number('LOCAL_CONSUMER_TIMEOUT_SECONDS') } : {}),
  });
  process.exitCode = outcome.status === 'SUCCEEDED' ? 0 : 1;
} catch (error) {
  console.error(`migrate: ${describeError(error)}`);
  process.exitCode = error instanceof InvalidInputError || error instanceof MigrationError ? 2 : 1;
}
