import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { migrateLocally, migrateOnAws, type MigrationOutcome } from '../../tooling/cli/migrate.ts';
import { rollbackLocally, rollbackOnAws, type RollbackOutcome } from '../../tooling/cli/rollback.ts';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { RunReport } from '../../src/ledger/report.ts';
import type { RollbackReport } from '../../src/rollback/types.ts';
import type { RunOverrides } from '../../src/profile/run-options.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import type { SeedManifest as Manifest } from '../../tooling/seed/types.ts';
import { parseSeedOptions } from '../../tooling/seed/options.ts';
import { seedCustomer } from '../../tooling/seed/seed-customer.ts';
import { startStandinProcess } from '../../tooling/standin/process.ts';
import { startStandin, type RunningStandin } from '../../tooling/standin/server.ts';
import type { StandinOptions } from '../../tooling/standin/types.ts';
import { admin } from '../integration/standin/helpers.ts';

/**
 * Every e2e file's mocha timeout: a safety net for a hung run, not a measure of speed. Each file's tests
 * take a few minutes on an idle 2-core machine and at most about three times that on a loaded one;
 * `make test` lists the tests closest to their timeouts after every run.
 */
export const E2E_TIMEOUT_MS = 1_800_000;

/** The prefix of every e2e customer; E2E_CUSTOMER lets two checkouts run the suite against one MariaDB at once. */
export const CUSTOMER = process.env.E2E_CUSTOMER || 'e2e';
/**
 * The same suite runs against a deployed stage (`make test-localstack` sets
 * E2E_STAGE=localstack): then the CLI drives AWS APIs at AWS_ENDPOINT_URL,
 * the stand-in is the one the stage was deployed against (E2E_TARGET_URL,
 * reset between files, so they run one after the other), and each file
 * migrates its own customer (the ledger of a stage is not thrown away).
 */
export const STAGE = process.env.E2E_STAGE || undefined;
export const LEGACY_DB_URL = process.env.LEGACY_DB_URL || 'mysql://root@127.0.0.1:3306';
/**
 * First port of the tests' local runtimes: away from a developer's `make migrate` (47560-47564); E2E_BASE_PORT moves them.
 * The integration tests use the 40 from here, each e2e file a block of {@link FILE_PORTS} after them ({@link e2eFile}).
 */
export const BASE_PORT = Number(process.env.E2E_BASE_PORT || 4766);

/**
 * Every e2e file (its name without `.test.ts`), one line each. Its place in
 * the list gives the file its own block of ports, so the files can run side
 * by side (`make test-e2e` runs them in processes of their own): a new file
 * adds its line at the end, and {@link e2eFile} refuses a file missing here.
 */
export const E2E_FILES = [
  'dry-run',
  'migration',
  'outage',
  'precheck',
  'redrive',
  'restore-chain',
  'faulty-target',
  'fail-midway',
  'delta',
  'verify',
  'rollback',
  'lock',
] as const;

/**
 * Ports of one e2e file: the five of a local runtime (LOCAL_PORT_COUNT). A file runs one runtime at a
 * time (a runtime points this process's AWS endpoint variables at itself), its clean reference run too.
 */
export const FILE_PORTS = 5;
/**
 * Ports from BASE_PORT that the integration tests use, a block of five for each runtime, none shared, as their files
 * may run side by side: cli/exit-codes +0, cli/verify-input +5, cli/local-state +10 and +20, cli/rollback-input +25,
 * cli/target-ledger +30, cli/loopback-listeners +35, cli/clean-old +40.
 */
const INTEGRATION_PORTS = 45;

/** What an e2e file has to itself when the files run side by side: its customer and its ports. */
export interface E2eFile {
  /** The file's name, without `.test.ts`. */
  name: string;
  /** The customer it seeds and migrates: E2E_CUSTOMER, `_` and its name (seeds differ by customer name). */
  customer: string;
  /** First of the five ports of its local runtime. */
  basePort: number;
}

/** The customer and ports of the e2e file at `moduleUrl` (its `import.meta.url`). */
export function e2eFile(moduleUrl: string): E2eFile {
  const name = basename(fileURLToPath(moduleUrl), '.test.ts');
  const slot = (E2E_FILES as readonly string[]).indexOf(name);
  if (slot < 0) throw new Error(`${name}.test.ts is not in E2E_FILES (test/e2e/helpers.ts): add its line there, it gives the file its customer and ports`);
  const basePort = BASE_PORT + INTEGRATION_PORTS + slot * FILE_PORTS;
  return { name, customer: customerOf(name), basePort };
}

function customerOf(name: string): string {
  return `${CUSTOMER}_${name.replaceAll('-', '_')}`;
}

/** The customers of every e2e file: the tokens a stage under test needs (scripts/test-localstack.sh). */
export const E2E_CUSTOMERS: readonly string[] = E2E_FILES.map(customerOf);

/**
 * Seeds an e2e customer (small, every defect class; the same data for every customer at one scale) and returns its manifest.
 * Every scale plants every defect class. SCALE 0.05 is about 350 records: enough for what a run does to each kind of
 * record. 0.2 (about 1,300) is for files that kill a run midway or need faults and outages to meet enough requests;
 * 0.5 (about 3,600) for the one file that needs a collection to drain for long.
 */
export async function seedE2eCustomer(customer = CUSTOMER, scale = '0.2'): Promise<Manifest> {
  const config = parseLegacyDbUrl(LEGACY_DB_URL);
  const pool = createLegacyPool(config, { connectionLimit: 3 });
  try {
    const { manifest } = await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: customer, SEED: '3', SCALE: scale, DIRT: '0.05' }));
    return manifest;
  } finally {
    await pool.end();
  }
}

/** A temporary folder, removed by the returned function. */
export function temporaryFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The token of an e2e customer, on the stand-in and in the stage's parameters. */
export function tokenOf(customer: string): string {
  return `${customer}-token`;
}

/**
 * A FiberConnect stand-in for a scenario: locally a new one with its own
 * SQLite file; on a stage the deployed one, wiped and given the scenario's
 * faults. No rate limit unless asked, short planboard jobs.
 */
export async function startTarget(folder: string, customer: string, options: StandinOptions = {}): Promise<RunningStandin> {
  if (STAGE) {
    const url = process.env.E2E_TARGET_URL ?? 'http://127.0.0.1:4010';
    const shared = { url } as RunningStandin;
    await admin(shared, 'POST', '/admin/reset');
    await admin(shared, 'PUT', '/admin/faults', {
      latencyMs: 0,
      errorRate: 0,
      dropRate: 0,
      force429Rate: 0,
      failPaths: [],
      failStatus: 503,
      ...options.faults,
    });
    await admin(shared, 'PUT', '/admin/rate-limit', { rate: 0, burst: 1, ...options.rateLimit });
    return Object.assign(shared, { close: async () => undefined });
  }
  const tokens = { [customer]: tokenOf(customer) };
  return startStandin({
    port: 0,
    dataPath: join(folder, 'fiberconnect.sqlite'),
    tokens,
    jobDelayMs: 500,
    ...options,
    rateLimit: { rate: 0, burst: 1, ...options.rateLimit },
  });
}

/**
 * A stand-in in a process of its own, for the rate measurement: the request
 * log's timestamps are taken on an event loop that the runtime under test
 * does not share, so they show when requests arrived, not when a busy test
 * process got round to them.
 */
export async function startTargetProcess(folder: string, customer: string): Promise<RunningStandin> {
  if (STAGE) return startTarget(folder, customer);
  const child = await startStandinProcess({
    FIBERCONNECT_DATA: join(folder, 'fiberconnect.sqlite'),
    FIBERCONNECT_TOKENS: `${customer}:${tokenOf(customer)}`,
    FIBERCONNECT_JOB_DELAY_MS: '500',
    FIBERCONNECT_RATE: '0',
  });
  return { url: child.url, close: () => child.stop() } as RunningStandin;
}

/**
 * The consumer's timeout in the e2e runs (its queues' visibility timeout is 10 s more). A delivery
 * of 10 messages of 10 records at a quarter of an 80 requests/s run needs 5 s, more on a machine
 * the e2e files share; cut off at 10 s, its last messages came back only after the visibility
 * timeout, and the clean run's 3 s drain timeout saw no progress (seen at load 16 on 2 cores).
 * Files that count redeliveries (redrive, outage) set their own.
 */
export const CONSUMER_TIMEOUT_SECONDS = 30;

/** Run options that keep the e2e runs short: fast polls, high rate unless a test sets one. */
export const FAST: RunOverrides = {
  targetRps: 400,
  sourceRps: 200,
  drainPollSeconds: 1,
  planboardPollSeconds: 1,
  planboardSecondsToWait: 120,
  consumers: 4,
  maxAttempts: 8,
};

/** Collects the CLI's output, shown only when a test fails. */
export class CapturedOutput extends Writable {
  public text = '';
  public override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The options of one command of an e2e file's customer: the target named only locally (a stage migrates into the FiberConnect it was deployed against, and refuses another FIBERCONNECT_URL). */
function commandOptions(target: RunningStandin, overrides: RunOverrides, customer: string) {
  return {
    customer,
    legacyDbUrl: LEGACY_DB_URL,
    ...(STAGE ? {} : { targetUrl: target.url, targetToken: tokenOf(customer) }),
    overrides: { ...FAST, ...overrides },
  };
}

/** The runtime settings of one command of an e2e file: its data folder, its ports, the e2e consumer timeout. */
function commandSettings(file: E2eFile, dataDir: string, output: CapturedOutput) {
  return {
    dataDir,
    basePort: file.basePort,
    reportsDir: join(dataDir, 'reports'),
    pollIntervalMs: 500,
    consumerTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
    out: output as unknown as NodeJS.WriteStream,
  };
}

/** One `make migrate` run of the file's customer (or `customer`) in this process: on the local runtime in `dataDir` on the file's ports, or on the stage. */
export async function migrate(
  file: E2eFile,
  target: RunningStandin,
  dataDir: string,
  overrides: RunOverrides = {},
  output = new CapturedOutput(),
  customer = file.customer,
): Promise<MigrationOutcome> {
  const options = commandOptions(target, overrides, customer);
  const settings = commandSettings(file, dataDir, output);
  return STAGE ? migrateOnAws(options, STAGE, settings) : migrateLocally(options, settings);
}

/** One `make rollback` run of the file's customer (or `customer`) in this process, as {@link migrate} runs a migration. */
export async function rollback(
  file: E2eFile,
  target: RunningStandin,
  dataDir: string,
  overrides: RunOverrides = {},
  output = new CapturedOutput(),
  customer = file.customer,
): Promise<RollbackOutcome> {
  const options = commandOptions(target, overrides, customer);
  const settings = commandSettings(file, dataDir, output);
  return STAGE ? rollbackOnAws(options, STAGE, settings) : rollbackLocally(options, settings);
}

/** The whole report.json of a run, lists included (the outcome carries its figures only). */
export function fullReport(outcome: MigrationOutcome): RunReport {
  if (!outcome.reportFiles) throw new Error(`run ${outcome.runId} wrote no report`);
  return JSON.parse(readFileSync(outcome.reportFiles.json, 'utf8')) as RunReport;
}

/** The whole rollback.json of a rollback, lists included (the outcome carries its figures only). */
export function fullRollback(outcome: RollbackOutcome): RollbackReport {
  if (!outcome.rollbackFiles) throw new Error(`rollback ${outcome.runId} wrote no rollback report`);
  return JSON.parse(readFileSync(outcome.rollbackFiles.json, 'utf8')) as RollbackReport;
}

/** Asserts that a report says exactly what the manifest predicts: figures and every failure's code and field. */
export function expectReportMatchesManifest(report: RunReport, manifest: Manifest, options: { rerun?: boolean } = {}): void {
  const expected = manifest.expected.default.entities;
  for (const collection of COLLECTIONS) {
    const want = expected[collection];
    const got = report.entities[collection];
    const migrated = options.rerun ? got.migrated + got.alreadyMigrated : got.migrated;
    expect({ source: got.source, migrated, skipped: got.skipped, failed: got.failed }, collection).to.deep.equal({
      source: want.source,
      migrated: want.migrated,
      skipped: want.skipped,
      failed: want.failed,
    });
    expect(got.source, `${collection}: source = migrated + alreadyMigrated + skipped + failed`).to.equal(
      got.migrated + got.alreadyMigrated + got.skipped + got.failed,
    );
    const strip = (failures: { externalRef: string; code: string; field?: string }[]) =>
      failures.map(({ externalRef, code, field }) => ({ externalRef, code, ...(field ? { field } : {}) }));
    expect(strip(got.failures), `${collection} failures`).to.deep.equal(strip(want.failures));
  }
}

/**
 * The target's records per collection as `externalRef → status` (status where
 * the collection has one). Database names lose their customer part, so two
 * customers seeded alike compare equal.
 */
export async function targetRecords(target: RunningStandin, customer = CUSTOMER): Promise<Record<string, Record<string, string>>> {
  const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer];
  const out: Record<string, Record<string, string>> = {};
  for (const [collection, items] of Object.entries(state.resources as Record<string, { externalRef: string; status?: string; contractorId?: string }[]>)) {
    out[collection] = {};
    for (const item of items) {
      const ref = item.externalRef.replace(/^fp_.+_(north|south|archive):/, 'fp_*_$1:');
      expect(out[collection]![ref], `${collection} ${item.externalRef} is in the target twice`).to.equal(undefined);
      out[collection]![ref] = item.status ?? 'present';
    }
  }
  return out;
}

/** The customer's workflows and e-mail setting on the target. */
export async function targetSettings(
  target: RunningStandin,
  customer = CUSTOMER,
): Promise<{ workflows: Record<string, string>; emailEnabled: boolean; emailsSent: number }> {
  const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer];
  return {
    workflows: Object.fromEntries(state.workflows.map((w: { id: string; status: string }) => [w.id, w.status])),
    emailEnabled: state.notifications.emailEnabled,
    emailsSent: state.emails.length,
  };
}

/** A target's records as {@link targetRecords} gives them. */
export type TargetState = Record<string, Record<string, string>>;

/** Clean reference states by customer: each file's own, also when mocha runs several files in one process. */
const cleanStates = new Map<string, Promise<TargetState>>();

/** Keeps the target state of a clean, uninterrupted run of `customer`, so the file's other scenarios compare with it. */
export function rememberCleanState(customer: string, state: TargetState): void {
  cleanStates.set(customer, Promise.resolve(state));
}

/**
 * The target state of a clean, uninterrupted run of the customer's seed (the
 * file's own unless given): the one a scenario remembered, or, when a
 * scenario runs on its own (mocha --grep), one migrated here from the seed
 * the file put in the legacy database, into a stand-in and a runtime folder
 * of its own, on the file's ports: call it while no runtime of the file
 * runs. Seeds differ by customer name, so the reference is always of the
 * customer it is compared with.
 */
export function cleanTargetState(file: E2eFile, customer = file.customer): Promise<TargetState> {
  let state = cleanStates.get(customer);
  if (!state) {
    state = (async () => {
      // On a stage the ledger of a customer stays: a second run of it would not be a clean one.
      if (STAGE) throw new Error(`on a stage, a clean reference of ${customer} is the one a scenario of its file remembered: run the whole file`);
      const folder = temporaryFolder(`${file.name}-reference-`);
      const target = await startTarget(folder.path, customer);
      try {
        const outcome = await migrate(file, target, folder.path, {}, undefined, customer);
        if (outcome.status !== 'SUCCEEDED') throw new Error(`the reference run ended ${outcome.status}: ${outcome.error}`);
        return await targetRecords(target, customer);
      } finally {
        await target.close();
        folder.remove();
      }
    })();
    cleanStates.set(customer, state);
  }
  return state;
}

/**
 * Runs `make migrate` (or `make rollback`: `command`) of the file's customer
 * as its own process (the local runtime lives in it), looks every 200 ms
 * whether the run is `midway`, and kills the process with SIGKILL as soon
 * as it is (or after `polls` looks). Returns whether the kill came midway.
 */
export async function killCommandMidway(
  file: E2eFile,
  target: RunningStandin,
  dataDir: string,
  output: CapturedOutput,
  midway: () => Promise<boolean>,
  polls = 600,
  command: 'migrate' | 'rollback' = 'migrate',
): Promise<boolean> {
  const customer = file.customer;
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${command}.ts`], {
    env: {
      ...process.env,
      CUSTOMER: customer,
      LEGACY_DB_URL,
      FIBERCONNECT_URL: target.url,
      FIBERCONNECT_TOKEN: tokenOf(customer),
      TARGET_RPS: '150',
      LOCAL_DATA_DIR: dataDir,
      LOCAL_BASE_PORT: String(file.basePort),
      LOCAL_CONSUMER_TIMEOUT_SECONDS: String(CONSUMER_TIMEOUT_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.write(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let reached = false;
  for (let i = 0; i < polls && !reached; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    reached = await midway();
  }
  child.kill('SIGKILL');
  await exited;
  return reached;
}
