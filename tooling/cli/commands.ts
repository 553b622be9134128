import { InvalidInputError } from '../../src/domain/index.ts';
import { awsBackend } from './backend.ts';
import { COMMANDS } from './constants.ts';
import { runCommand, runtimeSettingsFromEnv } from './entry.ts';
import { migrateLocally, migrateOnAws, withLocalRuntime, type MigrationOutcome } from './migrate.ts';
import { describeUnknown, unknownEnvironmentOptions } from './option-names.ts';
import { CLI_OPTIONS, parseMigrateEnv } from './options.ts';
import { STANDIN_ENVIRONMENT } from '../standin/config.ts';
import { runningRuntime } from './attach.ts';
import { followCommand } from './follow-command.ts';
import { redriveRun } from './redrive-command.ts';
import { targetDataDir } from './runtime-state.ts';
import { stopCommand } from './stop-command.ts';
import { reportCommand } from './report-command.ts';
import { verifyLocally, verifyOnAws } from './verify-command.ts';
import { rollbackLocally, rollbackOnAws } from './rollback.ts';

/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** `names` joined by spaces into lines of at most `width` characters, each after `indent`. */
function wrapped(names: readonly string[], indent: string, width: number): string {
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + name.length <= width) lines[lines.length - 1] = `${last} ${name}`;
    else lines.push(`${indent}${name}`);
  }
  return lines.join('\n');
}

/** The usage text of `fiberplan-migrate`. */
export const USAGE = `usage: fiberplan-migrate migrate|report|redrive|verify|rollback|stop|follow [NAME=value ...]

  migrate   one customer's migration, live progress, report at the end
  report    the customer's latest report again
  redrive   the customer's dead letters back, target switched off and restored, report written again
  verify    read-only proof that FiberConnect holds what the ledger says
  rollback  removes what the engine created for the customer, rollback report at the end
  stop      stops the customer's running run and restores the target's workflows and e-mail
  follow    follows the customer's running run (started elsewhere, or detached) to its report

One run per customer at a time: a second start is refused with one line naming
the running run (exit 2). Ctrl-C while a run is followed asks whether to stop it
or (on a stage) detach; without a terminal a stage's run is detached and a local
one stopped.

NAME=value sets what make takes as variables; the environment works too:
${wrapped(CLI_OPTIONS, '  ', 78)}
Any other NAME=value, and any variable of the environment that starts with
FIBERCONNECT_, LEGACY_ or LOCAL_ (the stand-in's settings aside)
or is a near miss of one of these names
(DRYRUN), is refused with exit 2: nothing starts.
Exit codes: 0 the run completed (read the report for failed records),
1 the run failed or was stopped, 2 bad input, unreachable at the start, or
the customer's run is still going (nothing changed), 130 detached (the run goes on).
verify: 0 nothing missing or stray, 1 something is (each listed) or it failed, 2 bad input.
`;

/** `migrate`, `report`, `redrive`, `verify` or `rollback` with the make variables in `env`. */
export function command(name: CommandName, env: NodeJS.ProcessEnv): () => Promise<MigrationOutcome> {
  return async () => {
    const options = parseMigrateEnv(env);
    const stage = env.STAGE?.trim() || undefined;
    const settings = runtimeSettingsFromEnv(env);
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    // Where a local command's runtime keeps its state: stop and follow reach the runtime another command runs there.
    const localDataDir = settings.dataDir ?? targetDataDir(options.targetUrl, settings.runtimeRoot);
    switch (name) {
      case 'migrate':
        return stage ? migrateOnAws(options, stage) : migrateLocally(options, settings);
      case 'report':
        return reportCommand(options.customer, stage, settings, options.targetUrl);
      case 'redrive':
        if (stage) return redriveRun(await awsBackend(stage), options, settings, say);
        return withLocalRuntime(options, settings, (backend, local) => redriveRun(backend, options, settings, local), { workflow: 'redrive' });
      case 'verify':
        return stage ? verifyOnAws(options, stage, settings) : verifyLocally(options, settings);
      case 'rollback':
        return stage ? rollbackOnAws(options, stage) : rollbackLocally(options, settings);
      case 'stop':
        return stopCommand(
          options.customer,
          stage ? await awsBackend(stage) : runningRuntime(localDataDir)?.backend,
          stage ? `stage ${stage}` : `the local target ${localDataDir}`,
          say,
        );
      case 'follow':
        return followCommand(
          options.customer,
          stage ? await awsBackend(stage) : runningRuntime(localDataDir)?.backend,
          stage ? `stage ${stage}` : `the local target ${localDataDir}`,
          settings,
          say,
        );
    }
  };
}

/**
 * Refuses, in one line, options the CLI does not take: every unknown
 * NAME=value argument, and every environment variable of the CLI's family
 * it does not know (option-names.ts says which count), each with the
 * nearest known name. A typo must never run: `DRYRUN=1` would migrate for real.
 */
function refuseUnknown(arguments_: readonly string[], environment: readonly string[], underMake: boolean): void {
  // make hands its command line's variables over in the environment: `make migrate DRYRUN=1` arrives there.
  const where = underMake ? 'as a make variable or in the environment' : 'in the environment';
  const parts = [
    ...arguments_.map((name) => describeUnknown(name, CLI_OPTIONS)),
    ...environment.filter((name) => !arguments_.includes(name)).map((name) => `${describeUnknown(name, CLI_OPTIONS)} ${where}`),
  ];
  if (parts.length === 0) return;
  throw new InvalidInputError(
    `unknown option${parts.length > 1 ? 's' : ''} ${parts.join(', ')}: nothing was started (fiberplan-migrate --help lists the options)`,
    { input: 'options', issue: [...arguments_, ...environment].join(',') },
  );
}

/**
 * The command line of `fiberplan-migrate`: a command, then NAME=value
 * pairs that override the environment. Sets `process.exitCode`.
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  await runCommand(name ?? 'fiberplan-migrate', async () => {
    if (!COMMANDS.includes(name as CommandName)) {
      throw new InvalidInputError(`${name ? `unknown command "${name}"` : 'no command given'}\n${USAGE}`, { input: 'command', issue: name ?? 'missing' });
    }
    const variables: NodeJS.ProcessEnv = { ...env };
    const unknown: string[] = [];
    for (const argument of rest) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argument);
      if (!match) throw new InvalidInputError(`"${argument}" is not NAME=value (e.g. CUSTOMER=demo)\n${USAGE}`, { input: 'argument', issue: argument });
      if (!CLI_OPTIONS.includes(match[1]!)) unknown.push(match[1]!);
      variables[match[1]!] = match[2];
    }
    refuseUnknown(unknown, unknownEnvironmentOptions(env, CLI_OPTIONS, STANDIN_ENVIRONMENT), env.MAKELEVEL !== undefined);
    return command(name as CommandName, variables)();
  });
}
