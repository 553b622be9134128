import { InvalidInputError, MigrationError } from '../../src/domain/errors.ts';
import type { MigrateRuntimeSettings, MigrationOutcome } from './migrate.ts';

/**
 * Developer knobs of the local runtime (tests use them to run beside a
 * developer's own runtime): LOCAL_DATA_DIR, LOCAL_BASE_PORT,
 * LOCAL_CONSUMER_TIMEOUT_SECONDS.
 */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv): MigrateRuntimeSettings {
  const number = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  return {
    ...(env.LOCAL_DATA_DIR ? { dataDir: env.LOCAL_DATA_DIR } : {}),
    ...(number('LOCAL_BASE_PORT') ? { basePort: number('LOCAL_BASE_PORT') } : {}),
    ...(number('LOCAL_CONSUMER_TIMEOUT_SECONDS') ? { consumerTimeoutSeconds: number('LOCAL_CONSUMER_TIMEOUT_SECONDS') } : {}),
  };
}

/** One line for an expected error (bad input, unreachable systems); the full error otherwise. */
export function describeError(error: unknown): string {
  return error instanceof MigrationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Runs a CLI command and sets the exit code: 0 when the run completed (even
 * with failed records), 1 when it failed, 2 on bad input (nothing changed).
 */
export async function runCommand(name: string, command: () => Promise<MigrationOutcome>): Promise<void> {
  try {
    const outcome = await command();
    process.exitCode = outcome.status === 'SUCCEEDED' ? 0 : 1;
  } catch (error) {
    console.error(`${name}: ${describeError(error)}`);
    process.exitCode = error instanceof InvalidInputError ? 2 : 1;
  }
}
