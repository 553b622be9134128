import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import { VERIFY_LISTS } from '../../src/verify/constants.ts';
import type { VerifyFinding } from '../../src/verify/types.ts';
import { exitCode } from '../../tooling/cli/entry.ts';
import { verifyLocally, verifyOnAws, type VerificationOutcome } from '../../tooling/cli/verify-command.ts';
import type { VerifyFile } from '../../tooling/cli/verify-summary.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  CONSUMER_TIMEOUT_SECONDS,
  e2eFile,
  FAST,
  LEGACY_DB_URL,
  migrate,
  STAGE,
  seedE2eCustomer,
  startTarget,
  tokenOf,
  temporaryFolder,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);
/** A customer of its own: this file's seed and ledger are nobody else's. */
const customer = FILE.customer;

/** One `make verify` in this process, as the e2e `migrate` helper runs `make migrate`. */
async function verify(target: RunningStandin, dataDir: string, output: CapturedOutput): Promise<VerificationOutcome> {
  const options = {
    customer,
    legacyDbUrl: LEGACY_DB_URL,
    ...(STAGE ? {} : { targetUrl: target.url, targetToken: tokenOf(customer) }),
    overrides: { targetRps: FAST.targetRps!, sourceRps: FAST.sourceRps! },
  };
  const settings = {
    dataDir,
    basePort: FILE.basePort,
    reportsDir: join(dataDir, 'reports'),
    pollIntervalMs: 500,
    consumerTimeoutSeconds: CONSUMER_TIMEOUT_SECONDS,
    out: output as unknown as NodeJS.WriteStream,
  };
  return STAGE ? verifyOnAws(options, STAGE, settings) : verifyLocally(options, settings);
}

/** One list of every collection of verify.json, with the collection named. */
function listOf(file: VerifyFile, list: (typeof VERIFY_LISTS)[number]): (VerifyFinding & { collection: string })[] {
  return COLLECTIONS.flatMap((collection) => file.entities[collection][list].map((finding) => ({ collection, ...finding })));
}

/** The requests FiberConnect got from the customer since `since`, as `METHOD path`. */
async function requestsSince(target: RunningStandin, since: number): Promise<string[]> {
  const items = (await admin(target, 'GET', `/admin/requests?since=${since}&customer=${customer}`)).json.items as { method: string; path: string }[];
  return items.map((request) => `${request.method} ${request.path}`);
}

describe('make verify: read-only proof that FiberConnect holds what the ledger says (real state machines and bundles on the embedded runtime)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const folder = temporaryFolder('e2e-verify-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;
  let migrationMs = 0;

  before(async () => {
    manifest = await seedE2eCustomer(customer, '0.05');
    target = await startTarget(folder.path, customer);
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the migration ended ${outcome.status}: ${outcome.error}\n${output.text}`);
    migrationMs = outcome.report!.durationMs;
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('passes a clean migration: exit 0, ok, every list empty, the balance equal to the seed manifest, GET requests only', async () => {
    const since = Date.now();
    const started = Date.now();
    const outcome = await verify(target, folder.path, output);
    const wallMs = Date.now() - started;
    expect(exitCode({ outcome }), outcome.error).to.equal(0);
    const file = outcome.verification!;
    expect(file.ok).to.equal(true);
    expect(file.kind).to.equal('verify');
    for (const list of VERIFY_LISTS) expect(listOf(file, list), list).to.deep.equal([]);
    const expected = manifest.expected.default.entities;
    for (const collection of COLLECTIONS) {
      const got = file.entities[collection];
      const want = expected[collection];
      expect({ source: got.source, migrated: got.migrated, skipped: got.skipped, failed: got.failed, notYetRun: got.notYetRun }, collection).to.deep.equal({
        source: want.source,
        migrated: want.migrated,
        skipped: want.skipped,
        failed: want.failed,
        notYetRun: 0,
      });
      const subprojects = Object.values(got.subprojects);
      expect(
        subprojects.reduce((sum, sub) => sum + sub.source, 0),
        `${collection}: the sub-projects add up`,
      ).to.equal(got.source);
      for (const sub of subprojects)
        expect(sub.source, `${collection}: source = migrated + skipped + failed + notYetRun`).to.equal(sub.migrated + sub.skipped + sub.failed + sub.notYetRun);
    }
    expect((await requestsSince(target, since)).filter((request) => !request.startsWith('GET '))).to.deep.equal([]);
    expect(readFileSync(outcome.verifyFiles!.html, 'utf8')).to.contain('OK: nothing missing, nothing stray');
    // The measurement the verification's cost is judged by (printed, never asserted: no timed tests).
    console.log(
      `      verify ${(wallMs / 1000).toFixed(1)} s wall (runtime start included), the migration's own run ${(migrationMs / 1000).toFixed(1)} s: same seed, same session`,
    );
  });

  it('after a delta that PATCHed a work order (planned date, remarks) and sent no work-order update, lists nothing under changedInTarget', async () => {
    const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer].resources as Record<
      string,
      { id: string; externalRef: string; version: number; status: string }[]
    >;
    // A work order its work-order update changed in the first run (version 2): the delta's PATCH takes it to 3.
    const workOrder = state['work-orders']!.find((record) => record.version === 2)!;
    expect(workOrder, 'a work order the first run patched').to.not.equal(undefined);
    const [database, , id] = workOrder.externalRef.split(':');
    const pool = createLegacyPool(parseLegacyDbUrl(LEGACY_DB_URL), { connectionLimit: 1 });
    try {
      await pool.query(
        `UPDATE \`${database}\`.assignments SET remarks = 'Sleutel bij de buren', planned_date = '2027-03-15', updated_at = NOW() WHERE id = ?`,
        [Number(id)],
      );
    } finally {
      await pool.end();
    }
    const since = Date.now();
    const delta = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(delta.status, delta.error).to.equal('SUCCEEDED');
    const writes = (await requestsSince(target, since)).filter((request) => request.startsWith('PATCH /v1/work-orders/'));
    expect(writes, 'one PATCH of the work order, none of its work-order update').to.deep.equal([`PATCH /v1/work-orders/${workOrder.id}`]);

    const outcome = await verify(target, folder.path, output);
    expect(exitCode({ outcome }), outcome.error).to.equal(0);
    expect(listOf(outcome.verification!, 'changedInTarget')).to.deep.equal([]);
    expect(listOf(outcome.verification!, 'changedInSource')).to.deep.equal([]);
  });

  it("exits 1 with exactly the deleted record as missing and the person-made one as stray; a person's change and a FiberPlan change are listed too", async () => {
    const state = (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer].resources as Record<
      string,
      { id: string; externalRef: string }[]
    >;
    const slot = state['planboard-slots']![0]!;
    const project = state.projects![0]!;
    const contractor = state.contractors![0]!;
    const database = contractor.externalRef.split(':')[0]!;
    const base = `/admin/customers/${customer}`;
    expect((await admin(target, 'DELETE', `${base}/planboard-slots/${slot.id}`)).status).to.equal(204);
    const stray = (await admin(target, 'POST', `${base}/contractors`, { externalRef: `${database}:contractors:987654`, name: 'Made by a person BV' })).json as {
      id: string;
      externalRef: string;
    };
    expect((await admin(target, 'PATCH', `${base}/projects/${project.id}`, { name: 'Renamed by a person' })).status).to.equal(200);
    const config = parseLegacyDbUrl(LEGACY_DB_URL);
    const pool = createLegacyPool(config, { connectionLimit: 1 });
    try {
      await pool.query(`UPDATE \`${database}\`.contractors SET name = CONCAT(name, ' (renamed)'), updated_at = NOW() WHERE id = ?`, [
        Number(contractor.externalRef.split(':')[2]),
      ]);
    } finally {
      await pool.end();
    }

    const since = Date.now();
    const outcome = await verify(target, folder.path, output);
    expect(exitCode({ outcome })).to.equal(1);
    const file = outcome.verification!;
    expect(file.ok).to.equal(false);
    expect(file.status).to.equal('SUCCEEDED');
    expect(listOf(file, 'missing')).to.deep.equal([{ collection: 'planboard-slots', externalRef: slot.externalRef, targetId: slot.id }]);
    expect(listOf(file, 'stray')).to.deep.equal([{ collection: 'contractors', externalRef: stray.externalRef, targetId: stray.id }]);
    expect(listOf(file, 'changedInTarget')).to.deep.equal([{ collection: 'projects', externalRef: project.externalRef, targetId: project.id }]);
    expect(listOf(file, 'changedInSource')).to.deep.equal([{ collection: 'contractors', externalRef: contractor.externalRef, targetId: contractor.id }]);
    expect(output.text)
      .to.contain(`missing  planboard-slots     ${slot.externalRef}  ${slot.id}`)
      .and.to.contain(`stray    contractors         ${stray.externalRef}  ${stray.id}`);
    expect((await requestsSince(target, since)).filter((request) => !request.startsWith('GET '))).to.deep.equal([]);
  });
});
