import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { RunReport } from '../../src/ledger/report.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { Resource } from '../../tooling/standin/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  e2eFile,
  expectReportMatchesManifest,
  killCommandMidway,
  LEGACY_DB_URL,
  migrate,
  seedE2eCustomer,
  STAGE,
  startTarget,
  targetRecords,
  temporaryFolder,
  fullReport,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);

type Resources = Record<string, Resource[]>;

/** The target's resources of the customer, per collection, as the stand-in holds them (every field, version included). */
async function resourcesOf(target: RunningStandin, customer: string): Promise<Resources> {
  return (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer].resources as Resources;
}

/** A collection's resources by externalRef. */
function byRef(resources: Resources, collection: string): Map<string, Resource> {
  return new Map((resources[collection] ?? []).map((resource) => [resource.externalRef, resource]));
}

/** The legacy id of an externalRef `<database>:<table>:<id>` of `database`, or undefined for another sub-project. */
function idIn(database: string, externalRef: string): number | undefined {
  const [db, , id] = externalRef.split(':');
  return db === database ? Number(id) : undefined;
}

/** Target writes of records (PATCH, PUT) of the customer since `since`. */
async function writesSince(
  target: RunningStandin,
  customer: string,
  since: number,
  methods = ['PATCH', 'PUT'],
): Promise<{ method: string; path: string; status: number }[]> {
  const items = (await admin(target, 'GET', `/admin/requests?since=${since}&customer=${customer}`)).json.items as {
    method: string;
    path: string;
    status: number;
  }[];
  // Records only: the run's own e-mail switch (PUT /v1/settings/notifications, off and back) is no record's write.
  return items.filter((r) => methods.includes(r.method) && !r.path.startsWith('/v1/settings/'));
}

describe("delta re-runs: changes in FiberPlan reach FiberConnect exactly, a person's change is kept, and a SIGKILL midway changes nothing twice (real state machines and bundles)", function () {
  this.timeout(E2E_TIMEOUT_MS);
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-delta-');
  const output = new CapturedOutput();
  let target: RunningStandin;
  let manifest: SeedManifest;
  let pool: Pool;
  let database: string;
  let first: Resources;
  /** The rows changed for the first delta, by what was done to them. */
  const picked: Record<string, number> = {};
  let delta: RunReport;
  let deltaStarted = 0;

  const sql = async (statement: string, values: unknown[] = []): Promise<RowDataPacket[]> => (await pool.query<RowDataPacket[]>(statement, values))[0];
  const t = (table: string) => `\`${database}\`.\`${table}\``;
  const ref = (table: string, id: number) => `${database}:${table}:${id}`;

  before(async function () {
    // Killing the CLI stops a local run (the runtime lives in it); on a stage the execution goes on in AWS.
    if (STAGE) this.skip();
    manifest = await seedE2eCustomer(customer, '0.2');
    database = manifest.subprojects.find((s) => s.active)!.database;
    pool = createLegacyPool(parseLegacyDbUrl(LEGACY_DB_URL), { connectionLimit: 2 });
    target = await startTarget(folder.path, customer);
  });
  after(async () => {
    await target?.close();
    await pool?.end();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('migrates the seed as the manifest predicts (the first run)', async () => {
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expectReportMatchesManifest(fullReport(outcome), manifest);
    first = await resourcesOf(target, customer);
  });

  it("after rows of every collection change in FiberPlan (and one in FiberConnect by a person), a re-run patches exactly the changed fields, keeps the person's change, fails the row that no longer validates, creates the new row and lists the deleted one", async () => {
    const migrated = (collection: string) =>
      [...byRef(first, collection).keys()]
        .map((r) => idIn(database, r))
        .filter((id): id is number => id !== undefined)
        .sort((a, b) => a - b);
    const [project] = migrated('projects');
    const [contractor, touched] = migrated('contractors');
    const connections = migrated('connections');
    const [street, invalid, personal, destination] = connections;
    const workOrders = byRef(first, 'work-orders');
    // A work order's connection must stay in the project: the moved one goes to an address of its own connection's project.
    // Its work-order update was migrated too, so the cancellation is a delta's update of it.
    const updateFailures = new Set(manifest.expected.default.entities['work-order-updates'].failures.map((f) => f.externalRef));
    const openOnes = [...workOrders.values()]
      .filter((w) => w.status === 'OPEN' && idIn(database, w.externalRef) !== undefined && !updateFailures.has(w.externalRef))
      .map((w) => idIn(database, w.externalRef)!);
    const candidates = migrated('work-orders').filter((id) => !openOnes.includes(id));
    const [remarks, moved] = candidates;
    const [cancelled] = openOnes;
    const [document] = migrated('documents');
    const [slot, gone] = migrated('planboard-slots');
    Object.assign(picked, { project, contractor, touched, street, invalid, personal, destination, remarks, moved, cancelled, document, slot, gone });
    for (const [name, id] of Object.entries(picked)) expect(id, name).to.be.a('number');

    // As FiberPlan would: the row changes and updated_at moves.
    await sql(`UPDATE ${t('projects')} SET name = CONCAT(name, ' (fase 2)'), updated_at = NOW() WHERE id = ?`, [project]);
    await sql(`UPDATE ${t('contractors')} SET email = 'planning@delta.example.nl', updated_at = NOW() WHERE id = ?`, [contractor]);
    await sql(`UPDATE ${t('contractors')} SET updated_at = NOW() + INTERVAL 1 DAY WHERE id = ?`, [touched]);
    const [newContractor] = await sql(`SELECT MAX(id) + 7 AS id FROM ${t('contractors')}`);
    picked.created = Number(newContractor!.id);
    await sql(
      `INSERT INTO ${t('contractors')} (id, name, kvk_number, email, phone, updated_at) VALUES (?, 'Delta Glasvezel BV', '12345678', 'info@delta.example.nl', NULL, NOW())`,
      [picked.created],
    );
    await sql(`UPDATE ${t('addresses')} SET street = 'Deltastraat', updated_at = NOW() WHERE id IN (?, ?)`, [street, personal]);
    await sql(`UPDATE ${t('addresses')} SET house_number = 0, updated_at = NOW() WHERE id = ?`, [invalid]);
    await sql(`UPDATE ${t('assignments')} SET remarks = 'Sleutel bij de buren', updated_at = NOW() WHERE id = ?`, [remarks]);
    await sql(`UPDATE ${t('assignments')} SET status = 'cancelled', updated_at = NOW() WHERE id = ?`, [cancelled]);
    const [home] = await sql(`SELECT a.project_id FROM ${t('assignments')} s JOIN ${t('addresses')} a ON a.id = s.address_id WHERE s.id = ?`, [moved]);
    // Another migrated address of the same project, none of the changed ones.
    const siblings = await sql(
      `SELECT id FROM ${t('addresses')} WHERE project_id = ? AND id <> (SELECT address_id FROM ${t('assignments')} WHERE id = ?) ORDER BY id`,
      [home!.project_id, moved],
    );
    picked.movedTo = siblings
      .map((row) => Number(row.id))
      .find((id) => ![street, invalid, personal, destination].includes(id) && byRef(first, 'connections').has(ref('addresses', id)))!;
    expect(picked.movedTo, 'a migrated address for the moved assignment').to.be.a('number');
    await sql(`UPDATE ${t('assignments')} SET address_id = ?, updated_at = NOW() WHERE id = ?`, [picked.movedTo, moved]);
    const bytes = Buffer.from('%PDF-1.4 schouwrapport, tweede versie');
    await sql(`UPDATE ${t('documents')} SET content = ?, size_bytes = ?, sha256 = ? WHERE id = ?`, [
      bytes,
      bytes.length,
      createHash('sha256').update(bytes).digest('hex'),
      document,
    ]);
    await sql(`UPDATE ${t('planboard_slots')} SET team = 'Ploeg Delta', updated_at = NOW() WHERE id = ?`, [slot]);
    await sql(`DELETE FROM ${t('planboard_slots')} WHERE id = ?`, [gone]);
    // A person changes the city of one changed address in FiberConnect's own screens.
    const personalRecord = byRef(first, 'connections').get(ref('addresses', personal!))!;
    await admin(target, 'PATCH', `/admin/customers/${customer}/connections/${personalRecord.id}`, { address: { city: 'Persoonsdorp' } });

    deltaStarted = Date.now();
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    delta = fullReport(outcome);

    const updated = Object.fromEntries(Object.entries(delta.entities).map(([collection, e]) => [collection, e.updated]));
    expect(updated).to.deep.equal({
      projects: 1,
      contractors: 1,
      connections: 1,
      'work-orders': 2,
      'work-order-updates': 1,
      documents: 1,
      'planboard-slots': 1,
    });
    expect(delta.entities.contractors.migrated, 'the new contractor').to.equal(1);
    for (const [collection, e] of Object.entries(delta.entities)) {
      expect(e.source, `${collection}: source = migrated + updated + alreadyMigrated + skipped + failed`).to.equal(
        e.migrated + e.updated + e.alreadyMigrated + e.skipped + e.failed,
      );
    }
    const newFailures = delta.entities.connections.failures
      .filter((f) => [ref('addresses', invalid!), ref('addresses', personal!)].includes(f.externalRef))
      .map(({ externalRef, code, field }) => ({ externalRef, code, ...(field ? { field } : {}) }));
    expect(newFailures).to.deep.equal(
      [
        { externalRef: ref('addresses', invalid!), code: 'invalid_value', field: 'address.houseNumber' },
        { externalRef: ref('addresses', personal!), code: 'target_changed' },
      ].sort((a, b) => a.externalRef.localeCompare(b.externalRef)),
    );
    expect(delta.entities.connections.failures.find((f) => f.code === 'target_changed')!.message).to.match(/address\.city/);
    // Every earlier failure is tried again and fails as before; the two new ones come on top.
    const expected = manifest.expected.default.entities;
    expect(delta.entities.connections.failed).to.equal(expected.connections.failed + 2);
    for (const collection of ['projects', 'contractors', 'work-orders', 'work-order-updates', 'documents', 'planboard-slots'] as const)
      expect(delta.entities[collection].failed, collection).to.equal(expected[collection].failed);
    expect(delta.entities['planboard-slots'].deletedInSource).to.deep.equal({
      count: 1,
      deleted: 0,
      records: [
        { externalRef: ref('planboard_slots', gone!), targetId: byRef(first, 'planboard-slots').get(ref('planboard_slots', gone!))!.id, deleted: false },
      ],
    });
    for (const collection of ['projects', 'contractors', 'connections', 'work-orders', 'documents'] as const)
      expect(delta.entities[collection].deletedInSource.count, collection).to.equal(0);
  });

  it("sent one write per updated record (and one refused by If-Match for the person's change), each with If-Match, and nothing for rows whose mapped fields did not change", async () => {
    const writes = await writesSince(target, customer, deltaStarted);
    const updated = Object.values(delta.entities).reduce((sum, e) => sum + e.updated, 0);
    expect(
      writes.filter((w) => w.status === 412),
      "the person's change: one 412",
    ).to.have.length(1);
    // The first run's failures that the target refused are tried again and refused again (4xx): they change nothing.
    const ids = new Map(
      Object.values(first)
        .flat()
        .map((r) => [r.id, r.externalRef]),
    );
    const changed = writes
      .filter((w) => w.status >= 200 && w.status < 300)
      .map(
        (w) =>
          `${w.method} ${w.path
            .split('/')
            .map((part) => ids.get(decodeURIComponent(part)) ?? part)
            .join('/')}`,
      );
    expect(changed.length, `writes that changed something = updated records: ${changed.join('; ')}`).to.equal(updated);
    const creates = await writesSince(target, customer, deltaStarted, ['POST']);
    expect(creates.filter((c) => c.status === 201).map((c) => c.path)).to.deep.equal(['/v1/contractors']);
  });

  it("leaves FiberConnect holding every change field by field, the person's change and the invalid row's previous version untouched, each changed record one version further", async () => {
    const after = await resourcesOf(target, customer);
    const get = (collection: string, table: string, id: number) => byRef(after, collection).get(ref(table, id))!;
    const was = (collection: string, table: string, id: number) => byRef(first, collection).get(ref(table, id))!;
    const versionStep = (collection: string, table: string, id: number) => get(collection, table, id).version - was(collection, table, id).version;

    expect(get('projects', 'projects', picked.project!).name).to.equal(`${was('projects', 'projects', picked.project!).name} (fase 2)`);
    expect(versionStep('projects', 'projects', picked.project!)).to.equal(1);
    expect(get('contractors', 'contractors', picked.contractor!).email).to.equal('planning@delta.example.nl');
    expect(versionStep('contractors', 'contractors', picked.touched!), 'only updated_at changed: nothing sent').to.equal(0);
    expect(get('contractors', 'contractors', picked.created!)).to.include({ name: 'Delta Glasvezel BV', kvkNumber: '12345678', version: 1 });
    expect((get('connections', 'addresses', picked.street!).address as Record<string, unknown>).street).to.equal('Deltastraat');
    expect(versionStep('connections', 'addresses', picked.street!)).to.equal(1);
    expect(get('connections', 'addresses', picked.invalid!), 'the row that no longer validates: the target keeps its version').to.deep.equal(
      was('connections', 'addresses', picked.invalid!),
    );
    const personal = get('connections', 'addresses', picked.personal!).address as Record<string, unknown>;
    expect(personal.city, "the person's change is kept").to.equal('Persoonsdorp');
    expect(personal.street, 'nothing of the delta overwrote it').to.equal(
      (was('connections', 'addresses', picked.personal!).address as Record<string, unknown>).street,
    );
    expect(get('work-orders', 'assignments', picked.remarks!).remarks).to.equal('Sleutel bij de buren');
    expect(get('work-orders', 'assignments', picked.cancelled!).status).to.equal('CANCELLED');
    expect(get('work-orders', 'assignments', picked.moved!).connectionId, "the moved assignment's work order is under its new connection").to.equal(
      get('connections', 'addresses', picked.movedTo!).id,
    );
    for (const id of [picked.remarks!, picked.cancelled!, picked.moved!]) expect(versionStep('work-orders', 'assignments', id), `work order ${id}`).to.equal(1);
    const document = get('documents', 'documents', picked.document!);
    expect(document.sha256).to.equal(createHash('sha256').update('%PDF-1.4 schouwrapport, tweede versie').digest('hex'));
    expect(versionStep('documents', 'documents', picked.document!)).to.equal(1);
    expect(get('planboard-slots', 'planboard_slots', picked.slot!).team).to.equal('Ploeg Delta');
    expect(get('planboard-slots', 'planboard_slots', picked.gone!), 'a row gone from FiberPlan stays in FiberConnect without DELETE_MISSING').to.deep.equal(
      was('planboard-slots', 'planboard_slots', picked.gone!),
    );
    // Nothing else changed.
    const changed = new Set([
      ref('projects', picked.project!),
      ref('contractors', picked.contractor!),
      ref('addresses', picked.street!),
      ref('addresses', picked.personal!),
      ref('assignments', picked.remarks!),
      ref('assignments', picked.cancelled!),
      ref('assignments', picked.moved!),
      ref('documents', picked.document!),
      ref('planboard_slots', picked.slot!),
    ]);
    for (const [collection, resources] of Object.entries(first)) {
      for (const resource of resources)
        if (!changed.has(resource.externalRef)) expect(byRef(after, collection).get(resource.externalRef), resource.externalRef).to.deep.equal(resource);
    }
  });

  it("a delta re-run killed midway and run again ends with every change applied once, no duplicate, and the person's change kept", async () => {
    const start = await resourcesOf(target, customer);
    const connections = [...byRef(start, 'connections').values()].filter(
      (c) => idIn(database, c.externalRef) !== undefined && ![picked.invalid, picked.personal].includes(idIn(database, c.externalRef)),
    );
    const batch = connections.slice(0, Math.min(120, connections.length)).map((c) => idIn(database, c.externalRef)!);
    expect(batch.length).to.be.above(40);
    await sql(`UPDATE ${t('addresses')} SET city = CONCAT(city, ' Noord'), updated_at = NOW() WHERE id IN (?)`, [batch]);
    // A person changes one of them in FiberConnect meanwhile.
    const personal = byRef(start, 'connections').get(ref('addresses', batch[batch.length - 1]!))!;
    await admin(target, 'PATCH', `/admin/customers/${customer}/connections/${personal.id}`, { address: { street: 'Persoonslaan' } });

    const killedAt = Date.now();
    const midway = await killCommandMidway(
      FILE,
      target,
      folder.path,
      output,
      async () => (await writesSince(target, customer, killedAt, ['PATCH'])).length >= 5,
      1500,
    );
    expect(midway, 'the killed run got to patching before the kill').to.equal(true);
    const patchedBeforeKill = (await writesSince(target, customer, killedAt, ['PATCH'])).filter((w) => w.status === 200).length;
    expect(patchedBeforeKill, 'the kill came before every change was sent').to.be.below(batch.length - 1);

    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    const report = fullReport(outcome);
    for (const [collection, e] of Object.entries(report.entities))
      expect(e.source, collection).to.equal(e.migrated + e.updated + e.alreadyMigrated + e.skipped + e.failed);
    expect(report.entities.connections.failures.filter((f) => f.code === 'target_changed').map((f) => f.externalRef)).to.deep.equal(
      [ref('addresses', picked.personal!), personal.externalRef].sort(),
    );

    const end = await resourcesOf(target, customer);
    await targetRecords(target, customer);
    for (const collection of Object.keys(start)) expect(end[collection] ?? [], collection).to.have.length(start[collection]!.length);
    for (const id of batch) {
      const before = byRef(start, 'connections').get(ref('addresses', id))!;
      const now = byRef(end, 'connections').get(ref('addresses', id))!;
      const city = (before.address as Record<string, unknown>).city;
      if (now.externalRef === personal.externalRef) {
        expect(now.address, "the person's change is kept, nothing overwritten").to.deep.equal({ ...(before.address as object), street: 'Persoonslaan' });
        continue;
      }
      expect((now.address as Record<string, unknown>).city, now.externalRef).to.equal(`${String(city)} Noord`);
      expect(now.version - before.version, `${now.externalRef} changed exactly once`).to.equal(1);
    }
  });

  it('with DELETE_MISSING=1 deletes the record whose row is gone from FiberConnect (If-Match) and reports it deleted; a run after it lists it no more', async () => {
    const slot = byRef(first, 'planboard-slots').get(ref('planboard_slots', picked.gone!))!;
    const outcome = await migrate(FILE, target, folder.path, { deleteMissing: true }, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    expect(fullReport(outcome).entities['planboard-slots'].deletedInSource).to.deep.equal({
      count: 1,
      deleted: 1,
      records: [{ externalRef: slot.externalRef, targetId: slot.id, deleted: true }],
    });
    expect(byRef(await resourcesOf(target, customer), 'planboard-slots').has(slot.externalRef)).to.equal(false);
    const again = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(again.report!.entities['planboard-slots'].deletedInSource.count, 'removed, no longer migrated').to.equal(0);
  });
});
