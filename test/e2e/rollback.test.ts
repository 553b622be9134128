import { expect } from 'chai';
import type { RowDataPacket } from 'mysql2/promise';
import type { RunReport } from '../../src/ledger/report.ts';
import { ROLLBACK_ORDER } from '../../src/rollback/constants.ts';
import type { RollbackReport } from '../../src/rollback/types.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import type { RunningStandin } from '../../tooling/standin/server.ts';
import { admin } from '../integration/standin/helpers.ts';
import {
  CapturedOutput,
  fullReport,
  fullRollback,
  e2eFile,
  killCommandMidway,
  LEGACY_DB_URL,
  migrate,
  rollback,
  seedE2eCustomer,
  STAGE,
  startTarget,
  targetRecords,
  targetSettings,
  temporaryFolder,
  type TargetState,
  E2E_TIMEOUT_MS,
} from './helpers.ts';

const FILE = e2eFile(import.meta.url);

/** A target record as the stand-in's admin state shows it. */
interface Resource {
  id: string;
  externalRef: string;
  version: number;
  projectId?: string;
  connectionId?: string;
  workOrderId?: string;
  contractorId?: string;
}

/** The collections a person's actions and the engine's records live in, with the parents each record points to. */
const PARENT_FIELDS = {
  'planboard-slots': ['workOrderId'],
  documents: ['workOrderId'],
  'work-orders': ['connectionId', 'contractorId'],
  connections: ['projectId'],
  contractors: [],
  projects: [],
} as const;

/** The externalRef a person gives the work order they create by hand: not one the engine would use. */
const PERSON_WORK_ORDER = 'by-hand:work-order:1';

describe('rollback of a test migration (make rollback) on the embedded local runtime', function () {
  this.timeout(E2E_TIMEOUT_MS);
  // A customer of its own: the other e2e files seed and migrate theirs beside it.
  const customer = FILE.customer;
  const folder = temporaryFolder('e2e-rollback-');
  const output = new CapturedOutput();
  let manifest: SeedManifest;
  let target: RunningStandin;
  let first: RunReport;
  let settingsBefore: Awaited<ReturnType<typeof targetSettings>>;
  let adoptedRef: string;
  let changedSlotRef: string;
  let idsBeforeRollback: Map<string, string>;
  let firstRollback: RollbackReport;
  let stateAfterFirstRollback: TargetState;

  /** Every record of the customer in the target, by collection, as the admin state has it. */
  const resources = async (): Promise<Record<string, Resource[]>> =>
    (await admin(target, 'GET', `/admin/state?customer=${customer}`)).json.customers[customer].resources;

  before(async function () {
    // The kill scenario runs the CLI as a process of its own, which drives the local runtime only.
    if (STAGE) this.skip();
    // 0.1 (about 650 records): every defect class, and work orders enough for a rollback to be killed midway through them
    // (at 0.2 this file ran four workflows over 1,300 records and was the suite's longest, 12 minutes on a loaded host).
    manifest = await seedE2eCustomer(customer, '0.1');
    target = await startTarget(folder.path, customer);
  });
  after(async () => {
    await target?.close();
    folder.remove();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(output.text);
  });

  it('migrates, with one contractor a person had created before the run adopted', async () => {
    // A contractor the migration will find there: created by hand under the externalRef the engine gives it.
    const [database] = manifest.subprojects.filter((s) => s.active).map((s) => s.database);
    const failed = new Set(manifest.expected.default.entities.contractors.failures.map((f) => f.externalRef));
    const pool = createLegacyPool(parseLegacyDbUrl(LEGACY_DB_URL), { database: database!, connectionLimit: 1 });
    try {
      const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM contractors ORDER BY id');
      adoptedRef = rows.map((row) => `${database}:contractors:${row.id}`).find((ref) => !failed.has(ref))!;
    } finally {
      await pool.end();
    }
    await admin(target, 'POST', `/admin/customers/${customer}/contractors`, { externalRef: adoptedRef, name: 'Aannemer van de klant zelf' });
    settingsBefore = await targetSettings(target, customer);

    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    first = fullReport(outcome);
    for (const collection of ROLLBACK_ORDER)
      expect(first.entities[collection].migrated, collection).to.equal(manifest.expected.default.entities[collection].migrated);
  });

  it("removes exactly the engine's own records, children first; keeps the adopted one, the one a person changed (412) and those a person built on (409), each listed with its reason; workflows and e-mail as before", async () => {
    // A person changes one migrated planboard slot, and creates a work order by hand under a migrated connection.
    const before = await resources();
    const slot = before['planboard-slots']![0]!;
    changedSlotRef = slot.externalRef;
    await admin(target, 'PATCH', `/admin/customers/${customer}/planboard-slots/${slot.id}`, { team: 'Ploeg van de planner' });
    const connection = before.connections!.find((c) => c.id !== before['work-orders']!.find((w) => w.id === slot.workOrderId)?.connectionId)!;
    await admin(target, 'POST', `/admin/customers/${customer}/work-orders`, { externalRef: PERSON_WORK_ORDER, connectionId: connection.id, type: 'SURVEY' });
    idsBeforeRollback = new Map(
      Object.values(before)
        .flat()
        .map((r) => [r.externalRef, r.id]),
    );
    // The person's work order set off the active workflows' e-mails; the rollback must send none of its own.
    const emailsBeforeRollback = (await targetSettings(target, customer)).emailsSent;

    // What must stay: the adopted contractor, the changed slot, and every parent above a record that stays.
    const byId = new Map(Object.entries(before).flatMap(([collection, items]) => items.map((r) => [r.id, { collection, r }] as const)));
    const expected = new Map<string, string>([
      [adoptedRef, 'adopted'],
      [changedSlotRef, 'target_changed'],
    ]);
    const keepParents = (collection: string, record: Resource): void => {
      for (const field of PARENT_FIELDS[collection as keyof typeof PARENT_FIELDS] ?? []) {
        const parent = record[field as keyof Resource] ? byId.get(String(record[field as keyof Resource])) : undefined;
        if (!parent) continue;
        if (!expected.has(parent.r.externalRef)) expected.set(parent.r.externalRef, 'has_children');
        keepParents(parent.collection, parent.r);
      }
    };
    keepParents('planboard-slots', slot);
    keepParents('work-orders', { id: '', externalRef: PERSON_WORK_ORDER, version: 1, connectionId: connection.id });

    const outcome = await rollback(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    firstRollback = fullRollback(outcome);
    expect(firstRollback).to.include({ customer, kind: 'rollback', status: 'SUCCEEDED' });
    // What the CLI read of rollback.json without its lists: the kept records counted by reason.
    for (const collection of ROLLBACK_ORDER) {
      const byReason: Record<string, number> = {};
      for (const { reason } of firstRollback.entities[collection].kept) byReason[reason] = (byReason[reason] ?? 0) + 1;
      expect(outcome.rollback!.entities[collection].keptByReason, collection).to.deep.equal(byReason);
      expect(outcome.rollback!.entities[collection], `${collection}: the CLI's figures carry no list`).not.to.have.property('kept');
    }
    expect(firstRollback.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });

    const kept = new Map(ROLLBACK_ORDER.flatMap((collection) => firstRollback.entities[collection].kept.map((k) => [k.externalRef, k.reason] as const)));
    expect(Object.fromEntries(kept), 'kept, with reasons').to.deep.equal(Object.fromEntries(expected));
    for (const collection of ROLLBACK_ORDER) {
      const e = firstRollback.entities[collection];
      expect({ removed: e.removed, alreadyGone: e.alreadyGone, failed: e.failed }, collection).to.deep.equal({
        removed: first.entities[collection].migrated - e.kept.length,
        alreadyGone: 0,
        failed: 0,
      });
    }
    // The target holds exactly the kept records and the person's own work order.
    const left = Object.values(await resources())
      .flat()
      .map((r) => r.externalRef)
      .sort();
    expect(left).to.deep.equal([...expected.keys(), PERSON_WORK_ORDER].sort());
    const settings = await targetSettings(target, customer);
    expect({ workflows: settings.workflows, emailEnabled: settings.emailEnabled }).to.deep.equal({
      workflows: settingsBefore.workflows,
      emailEnabled: settingsBefore.emailEnabled,
    });
    expect(settings.emailsSent, 'no e-mail went out').to.equal(emailsBeforeRollback);
    stateAfterFirstRollback = await targetRecords(target, customer);
  });

  it("migrate after the rollback creates every removed record again, under new ids and new Idempotency-Keys (no replayed dead id), with the first run's report", async () => {
    const since = Date.now();
    const outcome = await migrate(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    const kept = new Set(ROLLBACK_ORDER.flatMap((collection) => firstRollback.entities[collection].kept.map((k) => k.externalRef)));
    for (const collection of ['projects', 'contractors', 'connections', 'work-orders', 'work-order-updates', 'documents', 'planboard-slots'] as const) {
      const got = outcome.report!.entities[collection];
      const want = first.entities[collection];
      expect({ source: got.source, done: got.migrated + got.alreadyMigrated, skipped: got.skipped, failed: got.failed }, collection).to.deep.equal({
        source: want.source,
        done: want.migrated,
        skipped: want.skipped,
        failed: want.failed,
      });
    }
    const requests = (await admin(target, 'GET', `/admin/requests?since=${since}&customer=${customer}`)).json.items as {
      method: string;
      path: string;
      replayed: boolean;
    }[];
    expect(
      requests.filter((r) => r.replayed).map((r) => `${r.method} ${r.path}`),
      'replayed answers',
    ).to.deep.equal([]);
    const now = Object.values(await resources()).flat();
    const recreated = now.filter((r) => !kept.has(r.externalRef) && r.externalRef !== PERSON_WORK_ORDER);
    expect(recreated.length).to.equal(ROLLBACK_ORDER.reduce((sum, c) => sum + first.entities[c].migrated, 0) - kept.size);
    for (const record of recreated) expect(record.id, record.externalRef).to.not.equal(idsBeforeRollback.get(record.externalRef));
  });

  it('a rollback killed with SIGKILL midway and run again ends with the same target state and the same kept records', async () => {
    const workOrders = (await resources())['work-orders']!.length;
    const midway = await killCommandMidway(
      FILE,
      target,
      folder.path,
      output,
      async () => {
        const counts = (await admin(target, 'GET', '/admin/counts')).json[customer] ?? {};
        return (counts['work-orders'] ?? workOrders) < workOrders - 10;
      },
      1500,
      'rollback',
    );
    expect(midway, 'the killed rollback got to removing work orders').to.equal(true);
    expect((await resources())['work-orders']!.length, 'work orders left when killed').to.be.greaterThan(
      Object.keys(stateAfterFirstRollback['work-orders'] ?? {}).length,
    );

    const outcome = await rollback(FILE, target, folder.path, {}, output, customer);
    expect(outcome.status, outcome.error).to.equal('SUCCEEDED');
    const keptOf = (report: RollbackReport) =>
      ROLLBACK_ORDER.flatMap((collection) => report.entities[collection].kept.map((k) => `${collection} ${k.externalRef} ${k.reason}`)).sort();
    expect(keptOf(fullRollback(outcome))).to.deep.equal(keptOf(firstRollback));
    expect(outcome.rollback!.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    expect(await targetRecords(target, customer)).to.deep.equal(stateAfterFirstRollback);
    const settings = await targetSettings(target, customer);
    expect({ workflows: settings.workflows, emailEnabled: settings.emailEnabled }).to.deep.equal({
      workflows: settingsBefore.workflows,
      emailEnabled: settingsBefore.emailEnabled,
    });
  });
});
