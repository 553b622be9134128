import { RunLockedError } from '../../src/control/index.ts';
import { InvalidInputError, MigrationError, ProfileError } from '../../src/domain/index.ts';
import { LegacyDbUnreachableError } from '../../src/source/index.ts';
import { LOCAL_PORT_COUNT } from '../local/constants.ts';
import { DataDirInUseError, NotOnLoopbackError, PortInUseError } from '../local/errors.ts';
import type { MigrateRuntimeSettings, MigrationOutcome } from './migrate.ts';
import { EXIT_CODES } from './constants.ts';
import { printable, printableLines } from './terminal-text.ts';
import type { CliVariableName } from './variables.ts';

/**
 * Knobs of the local runtime: LOCAL_BASE_PORT (first of its five ports),
 * for tests that run beside a developer's own runtime LOCAL_DATA_DIR and
 * LOCAL_CONSUMER_TIMEOUT_SECONDS, and for `make bench-scale` LOCAL_MEMORY_LOG
 * (a file of memory readings, one JSON line every 2 s).
 */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv): MigrateRuntimeSettings {
  const number = (name: CliVariableName): number | undefined => (env[name] ? Number(env[name]) : undefined);
  const basePort = number('LOCAL_BASE_PORT');
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65_536 - LOCAL_PORT_COUNT)) {
    throw new InvalidInputError(
      `LOCAL_BASE_PORT must be a port from 1024 to ${65_536 - LOCAL_PORT_COUNT} (the runtime uses it and the next ${LOCAL_PORT_COUNT - 1}), got "${env.LOCAL_BASE_PORT}"`,
      { input: 'LOCAL_BASE_PORT', issue: String(env.LOCAL_BASE_PORT) },
    );
  }
  const consumerTimeout = number('LOCAL_CONSUMER_TIMEOUT_SECONDS');
  if (consumerTimeout !== undefined && (!Number.isInteger(consumerTimeout) || consumerTimeout < 1 || consumerTimeout > 900)) {
    throw new InvalidInputError(
      `LOCAL_CONSUMER_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 900 (Lambda's limit), got "${env.LOCAL_CONSUMER_TIMEOUT_SECONDS}"`,
      { input: 'LOCAL_CONSUMER_TIMEOUT_SECONDS', issue: String(env.LOCAL_CONSUMER_TIMEOUT_SECONDS) },
    );
  }
  return {
    ...(env.LOCAL_DATA_DIR ? { dataDir: env.LOCAL_DATA_DIR } : {}),
    ...(basePort ? { basePort } : {}),
    ...(consumerTimeout ? { consumerTimeoutSeconds: consumerTimeout } : {}),
    ...(env.LOCAL_MEMORY_LOG ? { memoryLog: env.LOCAL_MEMORY_LOG } : {}),
  };
}

/** One line for an expected error (bad input, unreachable systems); the full error otherwise. */
export function describeError(error: unknown): string {
  return error instanceof MigrationError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Errors that stop a command before it changed anything: bad input, a
 * profile that does not validate, the legacy database unreachable at the
 * start, a local runtime that cannot start, a customer whose run is still going.
 */
export function stoppedBeforeAnyChange(error: unknown): boolean {
  return [InvalidInputError, ProfileError, LegacyDbUnreachableError, PortInUseError, DataDirInUseError, NotOnLoopbackError, RunLockedError].some(
    (type) => error instanceof type,
  );
}

/** The exit code of a command that ended with `outcome`, or stopped with `error`. */
export function exitCode(result: { outcome: MigrationOutcome } | { error: unknown }): number {
  if ('outcome' in result) {
    if (result.outcome.status === 'DETACHED') return EXIT_CODES.detached;
    return result.outcome.status === 'SUCCEEDED' ? EXIT_CODES.completed : EXIT_CODES.failed;
  }
  return stoppedBeforeAnyChange(result.error) ? EXIT_CODES.badInput : EXIT_CODES.failed;
}

/**
 * Runs a CLI command and sets the exit code: 0 when the run completed (even
 * with failed records), 1 when it failed, 2 on bad input or a system
 * unreachable at the start (nothing changed).
 */
export async function runCommand(name: string, command: () => Promise<MigrationOutcome>): Promise<void> {
  try {
    process.exitCode = exitCode({ outcome: await command() });
  } catch (error) {
    console.error(`${printable(name)}: ${printableLines(describeError(error))}`);
    process.exitCode = exitCode({ error });
  }
}
