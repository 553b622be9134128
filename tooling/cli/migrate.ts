import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../src/domain/index.ts';
import { reportKeys, type RunFigures } from '../../src/ledger/index.ts';
import type { LocalRuntime } from '../local/runtime.ts';
import { LOCAL_QUEUE_BACKLOG } from '../local/constants.ts';
import { assertReachable, createLegacyPool, LegacyRegistry, parseLegacyDbUrl } from '../../src/source/mysql/index.ts';
import { LegacyPrecheck } from '../../src/source/index.ts';
import { seedCustomer } from '../seed/seed-customer.ts';
import { parseSeedOptions } from '../seed/options.ts';
import { startStandin, type RunningStandin } from '../standin/server.ts';
import { FiberConnectClient } from '../../src/target/client/index.ts';
import { REFUSED_TOKEN_STATUSES, TargetError } from '../../src/target/index.ts';
import { awsBackend, localBackend, type Backend } from './backend.ts';
import { startLocalRuntime } from './local-runtime.ts';
import { targetDataDir } from './runtime-state.ts';
import { announceRuntime, runningRuntime } from './attach.ts';
import { DataDirInUseError } from '../local/errors.ts';
import { assertStageTarget, stageLegacyPrecheck, stageTargetAccess } from './stage-checks.ts';
import type { MigrateOptions } from './options.ts';
import type { RunEstimate } from './estimate.ts';
import { planRun } from './plan-run.ts';
import { ProgressView } from './progress.ts';
import { findRootCause, rootCauseLine } from './root-cause.ts';
import { demoMissing } from './demo-seed.ts';
import { refuseIfRunning, refusalOf } from './run-guard.ts';
import { watchExecution, type WatchedRun, type WatchResult, type WatchSettings } from './watch-execution.ts';
import { readRunFigures } from './report-file.ts';
import { reportChildPath } from './report-path.ts';
import { summaryTable } from './summary.ts';
import type { RunTimeline } from '../local/timeline.ts';
import { printable } from './terminal-text.ts';

/** Where a run's outputs went, and how it ended. */
export interface MigrationOutcome {
  runId: string;
  status: string;
  /** The report's figures (report.json without its lists of records), when the run got as far as writing one. */
  report?: RunFigures;
  reportFiles?: { json: string; html: string; s3Json: string };
  /** The execution's error and cause as Step Functions gives them (nested JSON). */
  error?: string;
  /** One readable line: the innermost error and where it happened. */
  rootCause?: string;
  /** Where the full failure detail was written. */
  failureFile?: string;
}

/** Knobs for tests and tools; `make migrate` leaves them at their defaults. */
export interface MigrateRuntimeSettings extends WatchSettings {
  /** The runtime's data directory exactly (tests, LOCAL_DATA_DIR); default: one per target under {@link runtimeRoot}. */
  dataDir?: string;
  /** Where the per-target data directories live. Default `.local/runtime`. */
  runtimeRoot?: string;
  basePort?: number;
  reportsDir?: string;
  consumerTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** Where the stand-in keeps its state when the CLI starts it. */
  standinDataPath?: string;
  out?: NodeJS.WriteStream;
  /** Records where the run's time goes (`make bench`). */
  timeline?: RunTimeline;
  /** A file the runtime appends a memory reading to every 2 s (LOCAL_MEMORY_LOG; `make bench-scale`). */
  memoryLog?: string;
}

/** A new run id: sortable by time, unique. */
export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Checks the legacy side: reachable, customer known (the demo is seeded when
 * missing), active sub-projects: the same {@link LegacyPrecheck} a stage runs in its precheck Lambda.
 */
async function checkLegacy(options: MigrateOptions, say: (line: string) => void, seedDemo: boolean): Promise<void> {
  const config = parseLegacyDbUrl(options.legacyDbUrl);
  const pool = createLegacyPool(config, { connectionLimit: 2 });
  try {
    await assertReachable(pool, config);
    const registry = new LegacyRegistry(pool);
    if (seedDemo && options.customer === 'demo' && (await demoMissing(registry, config.host, say))) {
      say('customer demo is not in the legacy registry yet: seeding it (make seed)');
      await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: 'demo' }));
    }
    await new LegacyPrecheck(registry).check(options.customer);
  } finally {
    await pool.end();
  }
}

/** Tries of the token check on 429, 5xx and dropped connections before the target counts as unreachable. */
const TARGET_CHECK_TRIES = 5;

/**
 * Makes sure the token works before anything starts: a 401 is one clear line,
 * not a failed run. Then waits one second, so the check never shares a
 * second with the run's own requests (the rate limit covers the run).
 */
export async function checkTarget(url: string, customer: string, token: string): Promise<void> {
  const client = new FiberConnectClient({ baseUrl: url, token, timeoutMs: 10_000 });
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.listActiveWorkflows();
        break;
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        // 401 from FiberConnect, or 401/403 from a gateway before it (HTML): the token is refused, no retry cures that.
        if (error.context.status !== undefined && REFUSED_TOKEN_STATUSES.includes(error.context.status)) {
          throw new InvalidInputError(`FiberConnect at ${url} refused the token of customer ${customer} (${error.context.status})`, {
            input: 'FIBERCONNECT_TOKEN',
            issue: String(error.context.status),
          });
        }
        if (!error.transient || attempt >= TARGET_CHECK_TRIES) {
          throw new InvalidInputError(`FiberConnect at ${url} does not answer as it should: ${error.message}`, {
            input: 'FIBERCONNECT_URL',
            issue: 'unreachable',
          });
        }
        await sleep(250 * 2 ** attempt);
      }
    }
  } finally {
    await client.close();
  }
  await sleep(1000);
}

/** A FiberConnect to work against: the given one, or the local stand-in started here. */
interface TargetAccess {
  url: string;
  token: string;
  close(): Promise<void>;
}

async function openTarget(options: MigrateOptions, settings: MigrateRuntimeSettings, say: (line: string) => void): Promise<TargetAccess> {
  if (options.targetUrl && options.targetToken) return { url: options.targetUrl, token: options.targetToken, close: async () => undefined };
  const token = `${options.customer}-token`;
  const standin: RunningStandin = await startStandin({
    port: 0,
    dataPath: settings.standinDataPath ?? join('.local', 'fiberconnect', 'fiberconnect.sqlite'),
    tokens: { [options.customer]: token },
    rateLimit: { rate: 0, burst: 1 },
  });
  say(`FiberConnect stand-in at ${standin.url} (FIBERCONNECT_URL and FIBERCONNECT_TOKEN select a real one)`);
  return { url: standin.url, token, close: () => standin.close() };
}

/** What a local command does on the runtime: starts a workflow, runs only the consumers (a redrive), or only reads. */
export type RuntimeUse = { workflow: 'migration' | 'rollback' | 'redrive' } | 'read-only';

/**
 * Runs `work` on the embedded local runtime with every check a local command
 * needs first: the legacy side (reachable, customer known; the demo is seeded
 * when missing), the target (the token works), then the runtime itself.
 * `use` says what the command does: start a workflow (its functions are
 * warmed ahead, consumers run), run consumers only (a redrive), or only read
 * (seeds nothing, starts no consumers).
 */
export async function withLocalRuntime<T>(
  options: MigrateOptions,
  settings: MigrateRuntimeSettings,
  work: (backend: Backend, say: (line: string) => void) => Promise<T>,
  use: RuntimeUse,
): Promise<T> {
  const readOnly = use === 'read-only';
  const out = settings.out ?? process.stdout;
  const say = (line: string): void => void out.write(`${line}\n`);
  // Before anything else: a refused data directory must leave nothing changed (not even the demo seeded).
  const dataDir = settings.dataDir ?? targetDataDir(options.targetUrl, settings.runtimeRoot);
  await refuseBesideRunningRuntime(dataDir, options.customer, !readOnly);
  await checkLegacy(options, say, !readOnly);
  const target = await openTarget(options, settings, say);
  let runtime: LocalRuntime | undefined;
  try {
    await checkTarget(target.url, options.customer, target.token);
    runtime = await startLocalRuntime({
      dataDir,
      ...(settings.basePort ? { basePort: settings.basePort } : {}),
      ...(settings.consumerTimeoutSeconds ? { consumerTimeoutSeconds: settings.consumerTimeoutSeconds } : {}),
      ...(settings.maxReceiveCount ? { maxReceiveCount: settings.maxReceiveCount } : {}),
      ...(settings.timeline ? { timeline: settings.timeline } : {}),
      ...(settings.memoryLog ? { memoryLog: settings.memoryLog } : {}),
      legacyDbUrl: options.legacyDbUrl,
      targetUrl: target.url,
      targetTokens: { [options.customer]: target.token },
      consumers: options.overrides.consumers ?? 4,
      ...(options.overrides.producers ? { producers: options.overrides.producers } : {}),
      consumerBatchSize: 10,
      // A read-only command calls none of the migration's functions: nothing to warm, no consumers.
      ...(readOnly ? { eventSources: false } : { prewarm: use.workflow }),
    });
    const backend = localBackend(runtime);
    const withdraw = announceRuntime(dataDir, backend, runtime.endpoints);
    try {
      return await work(backend, say);
    } finally {
      withdraw();
    }
  } finally {
    await runtime?.close();
    await target.close();
  }
}

/**
 * A local runtime holds its target's data directory alone, in the process
 * of the command that started it. When another command's runtime holds it,
 * a run (`starts`) of the same customer is refused with the line naming
 * that run (exit 2); any other command is told which process holds the runtime.
 */
async function refuseBesideRunningRuntime(dataDir: string, customer: string, starts: boolean): Promise<void> {
  const running = runningRuntime(dataDir);
  if (!running) return;
  if (starts) await refuseIfRunning(running.backend, customer);
  throw new DataDirInUseError(
    `the local runtime of this target (${dataDir}) is in use by process ${running.pid}, which runs another command: wait for it to end (make stop CUSTOMER=<its customer> stops its run)`,
    { dataDir, pid: running.pid },
  );
}

/**
 * `make migrate` on the embedded local runtime: checks the inputs, starts the
 * runtime (and the FiberConnect stand-in unless a target was given), starts
 * the customer's workflow through the Step Functions API, shows live
 * progress from the run counters, and ends with the report. Producers hold
 * from {@link LOCAL_QUEUE_BACKLOG} queued messages unless QUEUE_BACKLOG is given.
 */
export async function migrateLocally(options: MigrateOptions, settings: MigrateRuntimeSettings = {}): Promise<MigrationOutcome> {
  const local = { ...options, overrides: { queueBacklog: LOCAL_QUEUE_BACKLOG, ...options.overrides } };
  return withLocalRuntime(local, settings, (backend, say) => followRun(backend, local, settings, say), { workflow: 'migration' });
}

/**
 * The checks every command makes before it starts a state machine on a
 * deployed stage: the stage answers, the target is the one it was deployed
 * against, the legacy side passes the stage's pre-check (run by its precheck
 * Lambda, inside the stage's network), and the customer's token works when
 * these credentials may read it. Any failure is bad input: nothing started.
 */
export async function openStage(
  options: MigrateOptions,
  stage: string,
  machine: (stack: Backend['stack']) => string,
  what: 'run' | 'verification' | 'rollback',
  say: (line: string) => void,
): Promise<Backend> {
  const backend = await awsBackend(stage);
  if (options.targetUrl) await assertStageTarget(stage, options.targetUrl);
  say(`stage ${stage}: ${machine(backend.stack)}`);
  const legacy = await stageLegacyPrecheck(backend, options.customer);
  say(`legacy pre-check on stage ${stage}: customer ${options.customer}, ${legacy.subprojects.length} active sub-project(s)`);
  const access = await stageTargetAccess(stage, options.customer);
  if (access) await checkTarget(access.url, options.customer, access.token);
  else say(`these AWS credentials may not read the FiberConnect token of ${options.customer} on stage ${stage}: the token is not checked before the ${what}`);
  return backend;
}

/**
 * `make migrate STAGE=x`: the same run on a deployed stage (standard AWS
 * credentials chain). The token is checked from here, as locally: it is
 * read where the functions read it, and FiberConnect is an internet API the
 * laptop reaches too. The legacy database is checked by the stage's precheck
 * Lambda, which reaches it through the stage's network (VPC, VPN) that a
 * laptop usually cannot; a failed check is bad input (exit 2), nothing started.
 */
export async function migrateOnAws(options: MigrateOptions, stage: string, settings: MigrateRuntimeSettings = {}): Promise<MigrationOutcome> {
  const out = settings.out ?? process.stdout;
  const say = (line: string): void => void out.write(`${line}\n`);
  const backend = await openStage(options, stage, (stack) => stack.stateMachineArn, 'run', say);
  // The default LEGACY_DB_URL is this machine's database, not the stage's: count only a source named on purpose.
  if (!options.legacyDbUrlGiven)
    say('no estimate: the stage reads the legacy database from inside; set LEGACY_DB_URL to one this machine reaches to count it from here');
  const estimate = options.legacyDbUrlGiven ? ((await planRun(backend, options, say)) ?? null) : null;
  return followRun(backend, options, settings, say, estimate);
}

/**
 * Starts the execution and follows it to the end; shared by every runtime
 * (only the clients' endpoints differ). Refuses at once a customer whose
 * run is still going (one line naming it, exit 2). Counts the source and
 * prints the estimate first unless `given` one (`null`: none to be made).
 */
export async function followRun(
  backend: Backend,
  options: MigrateOptions,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
  given?: RunEstimate | null,
): Promise<MigrationOutcome> {
  await refuseIfRunning(backend, options.customer);
  const estimate = given === undefined ? await planRun(backend, options, say) : given;
  const runId = newRunId();
  const stateMachineArn = backend.stack.stateMachineArn;
  const { executionArn } = await backend.sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ customer: options.customer, runId, options: options.overrides }) }),
  );
  say(
    options.overrides.dryRun
      ? `dry run ${runId} started for customer ${options.customer}: nothing is sent to FiberConnect, the ledger stays as it is`
      : `run ${runId} started for customer ${options.customer}`,
  );
  const planned = Object.fromEntries(Object.entries(estimate?.collections ?? {}).map(([collection, plan]) => [collection, plan.records]));
  return watchRun(
    backend,
    { customer: options.customer, runId, executionArn: executionArn!, stateMachineArn },
    options.overrides.dryRun === true,
    settings,
    say,
    planned,
  );
}

/**
 * Follows a migration's execution (started here, or found running by
 * `make follow`) with live progress, and ends with its report. Ctrl-C asks
 * whether to stop it or detach ({@link watchExecution}).
 */
export async function watchRun(
  backend: Backend,
  run: WatchedRun,
  dryRun: boolean,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
  planned: Record<string, number> = {},
): Promise<MigrationOutcome> {
  const view = new ProgressView(settings.out ?? process.stdout, { planned });
  const watched = await watchExecution(backend, run, settings, say, async (status, busy) => {
    // No progress lines while a question is on the terminal.
    if (!busy) view.update({ status: dryRun ? `${status} (dry run)` : status, collections: await backend.runs.progress(run.customer, run.runId) });
  });
  view.stop();
  if (watched.status === 'DETACHED') return { runId: run.runId, status: 'DETACHED' };
  return finishRun(backend, run, watched, settings, say);
}

/** The end of a followed run: a refusal by its configure step is bad input; otherwise its report and, when it failed, one line of why. */
async function finishRun(
  backend: Backend,
  run: WatchedRun,
  { status, failure }: WatchResult,
  settings: MigrateRuntimeSettings,
  say: (line: string) => void,
): Promise<MigrationOutcome> {
  const rootCause = status !== 'SUCCEEDED' && failure ? await findRootCause(failure, backend.failedChild) : undefined;
  // Two starts at once both passed the CLI's look at the lock: configure refused the second, which changed nothing.
  const refusal = refusalOf(rootCause, run.customer);
  if (refusal) throw refusal;
  const outcome: MigrationOutcome = { runId: run.runId, status, ...(failure ? { error: [failure.error, failure.cause].filter(Boolean).join(': ') } : {}) };
  const reportsDir = settings.reportsDir ?? 'reports';
  try {
    Object.assign(outcome, await fetchReport(backend, run.customer, run.runId, reportsDir));
    say('');
    say(summaryTable(outcome.report!));
    say(`report: ${outcome.reportFiles!.json} and ${outcome.reportFiles!.html} (${outcome.reportFiles!.s3Json})`);
  } catch (reportError) {
    say(`no report of run ${run.runId} could be fetched: ${printable((reportError as Error).message)}`);
  }
  if (status !== 'SUCCEEDED') {
    if (failure && rootCause) {
      outcome.rootCause = rootCauseLine(rootCause);
      outcome.failureFile = writeFailure(join(reportsDir, run.customer, run.runId), {
        runId: run.runId,
        status,
        executionArn: run.executionArn,
        rootCause,
        error: failure.error,
        cause: failure.cause,
      });
    }
    say(`run ${run.runId} ${status === 'ABORTED' ? 'STOPPED' : status}${outcome.rootCause ? `: ${outcome.rootCause}` : ''}`);
    if (outcome.failureFile) say(`full error: ${outcome.failureFile}${outcome.report ? ` and the report's error` : ''}`);
  }
  return outcome;
}

/** Keeps a failure's whole detail (nested execution JSON) beside the report; the terminal gets one line. */
function writeFailure(folder: string, detail: object): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'failure.json');
  writeFileSync(file, `${JSON.stringify(detail, null, 2)}\n`);
  return file;
}

/**
 * Downloads `<name>.json` and `<name>.html` of a run (report, rollback,
 * verify) from the bucket into `folder`, streamed to disk; returns where
 * both files are.
 */
export async function downloadReportPair(
  backend: Backend,
  keys: { json: string; html: string },
  folder: string,
  name: string,
): Promise<{ json: string; html: string; s3Json: string }> {
  mkdirSync(folder, { recursive: true });
  const files = { json: join(folder, `${name}.json`), html: join(folder, `${name}.html`), s3Json: backend.store.uri(keys.json) };
  await backend.store.getToFile(keys.json, files.json);
  await backend.store.getToFile(keys.html, files.html);
  return files;
}

/** Downloads a run's report and its fix lists from the bucket into `<reportsDir>/<customer>/<runId>/`; returns the report's figures. */
export async function fetchReport(
  backend: Backend,
  customer: string,
  runId: string,
  reportsDir: string,
): Promise<Required<Pick<MigrationOutcome, 'report' | 'reportFiles'>>> {
  const keys = reportKeys(customer, runId);
  const folder = join(reportsDir, customer, runId);
  const files = await downloadReportPair(backend, keys, folder, 'report');
  const report = await readRunFigures(files.json);
  for (const { file } of report.fixLists ?? []) {
    const path = reportChildPath(folder, file);
    mkdirSync(dirname(path), { recursive: true });
    await backend.store.getToFile(`${keys.folder}/${file}`, path);
  }
  return { report, reportFiles: files };
}
