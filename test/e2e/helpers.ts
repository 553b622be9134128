import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { migrateLocally, migrateOnAws, type MigrationOutcome } from '../../tooling/cli/migrate.ts';
import { rollbackLocally, rollbackOnAws, type RollbackOutcome } from '../../tooling/cli/rollback.ts';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import type { RunReport } from '../../src/ledger/report.ts';
import type { RunOverrides } from '../../src/pipeline/run-settings.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/connection.ts';
import type { SeedManifest as Manifest } from '../../tooling/seed/types.ts';
import { parseSeedOptions } from '../../tooling/seed/options.ts';
import { seedCustomer } from '../../tooling/seed/seed-customer.ts';
import { startStandinProcess } from '../../tooling/standin/process.ts';
import { startStandin, type RunningStandin } from '../../tooling/standin/server.ts';
import type { StandinOptions } from '../../tooling/standin/types.ts';
import { admin } from '../integration/standin/helpers.ts';

/** The e2e customer; E2E_CUSTOMER lets two checkouts run the suite against one MariaDB at once. */
export const CUSTOMER = process.env.E2E_CUSTOMER || 'e2e';
/**
 * The same suite runs against a deployed stage (`make test-localstack` sets
 * E2E_STAGE=localstack): then the CLI drives AWS APIs at AWS_ENDPOINT_URL,
 * the stand-in is the one the stage was deployed against (E2E_TARGET_URL,
 * reset between scenarios), and each scenario migrates its own customer
 * (the ledger of a stage is not thrown away between scenarios).
 */
export const STAGE = process.env.E2E_STAGE || undefined;
export const LEGACY_DB_URL = process.env.LEGACY_DB_URL || 'mysql://root@127.0.0.1:3306';
/** Ports of the end-to-end runtime: away from a developer's `make migrate` (47560-47564); E2E_BASE_PORT moves them. */
export const BASE_PORT = Number(process.env.E2E_BASE_PORT || 4766);

/** The customer a scenario migrates: `e2e` locally (each scenario has its own runtime), one per scenario on a stage. */
export function scenarioCustomer(scenario: string): string {
  return STAGE ? `${CUSTOMER}${scenario}` : CUSTOMER;
}

/** Seeds an e2e customer (small, every defect class; the same data for every customer at one scale) and returns its manifest. */
export async function seedE2eCustomer(customer = CUSTOMER, scale = '0.5'): Promise<Manifest> {
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
export async function startTarget(folder: string, options: StandinOptions = {}): Promise<RunningStandin> {
  if (STAGE) {
    const url = process.env.E2E_TARGET_URL ?? 'http://127.0.0.1:4010';
    const shared = { url } as RunningStandin;
    await admin(shared, 'POST', '/admin/reset');
    await admin(shared, 'PUT', '/admin/faults', { latencyMs: 0, errorRate: 0, dropRate: 0, force429Rate: 0, failPaths: [], failStatus: 503, ...options.faults });
    await admin(shared, 'PUT', '/admin/rate-limit', { rate: 0, burst: 1, ...options.rateLimit });
    return Object.assign(shared, { close: async () => undefined });
  }
  const tokens = Object.fromEntries(['', 'clean', 'faults', 'fail', 'redrive'].map((scenario) => [`${CUSTOMER}${scenario}`, tokenOf(`${CUSTOMER}${scenario}`)]));
  return startStandin({ port: 0, dataPath: join(folder, 'fiberconnect.sqlite'), tokens, jobDelayMs: 500, ...options, rateLimit: { rate: 0, burst: 1, ...options.rateLimit } });
}

/**
 * A stand-in in a process of its own, for the rate measurement: the request
 * log's timestamps are taken on an event loop that the runtime under test
 * does not share, so they show when requests arrived, not when a busy test
 * process got round to them.
 */
export async function startTargetProcess(folder: string): Promise<RunningStandin> {
  if (STAGE) return startTarget(folder);
  const customers = ['', 'clean'].map((scenario) => `${CUSTOMER}${scenario}`);
  const child = await startStandinProcess({
    FIBERCONNECT_DATA: join(folder, 'fiberconnect.sqlite'),
    FIBERCONNECT_TOKENS: customers.map((customer) => `${customer}:${tokenOf(customer)}`).join(','),
    FIBERCONNECT_JOB_DELAY_MS: '500',
    FIBERCONNECT_RATE: '0',
  });
  return { url: child.url, close: () => child.stop() } as RunningStandin;
}

/** Run options that keep the e2e runs short: fast polls, high rate unless a test sets one. */
export const FAST: RunOverrides = { targetRps: 400, sourceRps: 200, drainPollSeconds: 1, planboardPollSeconds: 1, planboardSecondsToWait: 120, consumers: 4, maxAttempts: 8 };

/** Collects the CLI's output, shown only when a test fails. */
export class CapturedOutput extends Writable {
  public text = '';
  public override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** One `make migrate` run in this process: on the local runtime in `dataDir`, or on the stage. */
export async function migrate(target: RunningStandin, dataDir: string, overrides: RunOverrides = {}, output = new CapturedOutput(), customer = CUSTOMER): Promise<MigrationOutcome> {
  // A stage migrates into the FiberConnect it was deployed against (and refuses another FIBERCONNECT_URL): name the target only locally.
  const options = { customer, legacyDbUrl: LEGACY_DB_URL, ...(STAGE ? {} : { targetUrl: target.url, targetToken: tokenOf(customer) }), overrides: { ...FAST, ...overrides } };
  const settings = { dataDir, basePort: BASE_PORT, reportsDir: join(dataDir, 'reports'), pollIntervalMs: 500, consumerTimeoutSeconds: 10, out: output as unknown as NodeJS.WriteStream };
  return STAGE ? migrateOnAws(options, STAGE, settings) : migrateLocally(options, settings);
}

/** One `make rollback` run in this process, as {@link migrate} runs a migration. */
export async function rollback(target: RunningStandin, dataDir: string, overrides: RunOverrides = {}, output = new CapturedOutput(), customer = CUSTOMER): Promise<RollbackOutcome> {
  const options = { customer, legacyDbUrl: LEGACY_DB_URL, ...(STAGE ? {} : { targetUrl: target.url, targetToken: tokenOf(customer) }), overrides: { ...FAST, ...overrides } };
  const settings = { dataDir, basePort: BASE_PORT, reportsDir: join(dataDir, 'reports'), pollIntervalMs: 500, consumerTimeoutSeconds: 10, out: output as unknown as NodeJS.WriteStream };
  return STAGE ? rollbackOnAws(options, STAGE, settings) : rollbackLocally(options, settings);
}

/** Asserts that a report says exactly what the manifest predicts: figures and every failure's code and field. */
export function expectReportMatchesManifest(report: RunReport, manifest: Manifest, options: { rerun?: boolean } = {}): void {
  const expected = manifest.expected.default.entities;
  for (const collection of COLLECTIONS) {
    const want = expected[collection];
    const got = report.entities[collection];
    const migrated = options.rerun ? got.migrated + got.alreadyMigrated : got.migrated;
    expect({ source: got.source, migrated, skipped: got.skipped, failed: got.failed }, collection).to.deep.equal({ source: want.source, migrated: want.migrated, skipped: want.skipped, failed: want.failed });
    expect(got.source, `${collection}: source = migrated + alreadyMigrated + skipped + failed`).to.equal(got.migrated + got.alreadyMigrated + got.skipped + got.failed);
    const strip = (failures: { externalRef: string; code: string; field?: string }[]) => failures.map(({ externalRef, code, field }) => ({ externalRef, code, ...(field ? { field } : {}) }));
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
export async function targetSettings(target: RunningStandin, customer = CUSTOMER): Promise<{ workflows: Record<string, string>; emailEnabled: boolean; emailsSent: number }> {
  const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer];
  return {
    workflows: Object.fromEntries(state.workflows.map((w: { id: string; status: string }) => [w.id, w.status])),
    emailEnabled: state.notifications.emailEnabled,
    emailsSent: state.emails.length,
  };
}

/** A target's records as {@link targetRecords} gives them. */
export type TargetState = Record<string, Record<string, string>>;

let cleanState: Promise<TargetState> | undefined;

/** Keeps the target state of a clean, uninterrupted run, so the other scenarios compare with it. */
export function rememberCleanState(state: TargetState): void {
  cleanState = Promise.resolve(state);
}

/**
 * The target state of a clean, uninterrupted run of the seed: the one a
 * scenario remembered, or, when a scenario runs on its own (mocha --grep),
 * one migrated here into a stand-in of its own.
 */
export function cleanTargetState(): Promise<TargetState> {
  cleanState ??= (async () => {
    // On a stage each scenario has its own seeded customer and token: no spare one to migrate a reference into.
    if (STAGE) throw new Error('on a stage, the clean reference comes from the "a first run and a re-run" scenario: run the whole suite');
    // A customer of its own, seeded at the default scale: another scenario may have seeded the e2e customer otherwise.
    const customer = `${CUSTOMER}reference`;
    await seedE2eCustomer(customer);
    const folder = temporaryFolder('e2e-reference-');
    const target = await startTarget(folder.path, { tokens: { [customer]: tokenOf(customer) } });
    try {
      const outcome = await migrate(target, folder.path, {}, undefined, customer);
      if (outcome.status !== 'SUCCEEDED') throw new Error(`the reference run ended ${outcome.status}: ${outcome.error}`);
      return await targetRecords(target, customer);
    } finally {
      await target.close();
      folder.remove();
    }
  })();
  return cleanState;
}

/**
 * Runs `make migrate` (or `make rollback`: `command`) as its own process
 * (the local runtime lives in it), looks every 200 ms whether the run is
 * `midway`, and kills the process with SIGKILL as soon as it is (or after
 * `polls` looks). Returns whether the kill came midway.
 */
export async function killCommandMidway(target: RunningStandin, dataDir: string, customer: string, output: CapturedOutput, midway: () => Promise<boolean>, polls = 600, command: 'migrate' | 'rollback' = 'migrate'): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${command}.ts`], {
    env: {
      ...process.env,
      CUSTOMER: customer, LEGACY_DB_URL, FIBERCONNECT_URL: target.url, FIBERCONNECT_TOKEN: tokenOf(customer), TARGET_RPS: '150',
      LOCAL_DATA_DIR: dataDir, LOCAL_BASE_PORT: String(BASE_PORT), LOCAL_CONSUMER_TIMEOUT_SECONDS: '10',
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

