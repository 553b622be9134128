/**
 * `make migrate CUSTOMER=x`: one customer's migration on the embedded local
 * runtime, with live progress and the report at the end. Exits 0 when the run
 * completed (even with failed records), 1 when it failed, 2 on bad input.
 */
import { InvalidInputError, MigrationError } from '../src/domain/errors.ts';
import { describeError, migrateLocally } from '../src/cli/migrate.ts';
import { parseMigrateEnv } from '../src/cli/options.ts';

try {
  const outcome = await migrateLocally(parseMigrateEnv(process.env));
  process.exitCode = outcome.status === 'SUCCEEDED' ? 0 : 1;
} catch (error) {
  console.error(`migrate: ${describeError(error)}`);
  process.exitCode = error instanceof InvalidInputError || error instanceof MigrationError ? 2 : 1;
}
