import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { Ledger } from '../../../src/ledger/ledger.ts';
import { RunStore } from '../../../src/ledger/run-store.ts';
import type { PayloadStore } from '../../../src/ledger/types.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';

class MemoryPayloads implements PayloadStore {
  public readonly objects = new Map<string, string>();
  public async put(key: string, body: string): Promise<string> {
    this.objects.set(key, body);
    return key;
  }
}

const key = (externalRef: string, collection: 'projects' | 'connections' = 'projects') => ({ customer: 'acme', collection, externalRef });

describe('ledger and run store on DynamoDB (dynalite)', () => {
  let tables: TestTables;
  let ledger: Ledger;
  let runs: RunStore;
  let payloads: MemoryPayloads;

  before(async () => {
    tables = await startTestTables();
    payloads = new MemoryPayloads();
    ledger = new Ledger(tables.db, tables.names.ledger, { payloads });
    runs = new RunStore(tables.db, tables.names.runs);
  });
  after(async () => tables.close());

  it('reads back only the records it holds, in bulk over more than 100 keys', async () => {
    const refs = Array.from({ length: 150 }, (_, i) => `db:projects:${i}`);
    await ledger.markQueued(
      'run-1',
      refs.slice(0, 120).map((externalRef) => ({ key: key(externalRef), sourceChecksum: 'c' })),
    );
    const found = await ledger.getMany('acme', 'projects', refs);
    expect(found.size).to.equal(120);
    expect(found.get('db:projects:7')).to.include({ status: 'queued', runId: 'run-1', attempts: 0 });
  });

  it('never turns a migrated record back into a failure (late duplicate delivery)', async () => {
    expect(await ledger.recordOutcome(key('db:projects:1'), 'run-1', { status: 'migrated', targetId: 'prj_1' })).to.equal(true);
    expect(await ledger.recordOutcome(key('db:projects:1'), 'run-1', { status: 'failed', code: 'transient_exhausted', message: 'late' })).to.equal(false);
    const entry = (await ledger.getMany('acme', 'projects', ['db:projects:1'])).get('db:projects:1');
    expect(entry).to.include({ status: 'migrated', targetId: 'prj_1', attempts: 1 });
  });

  it('keeps what the engine wrote with a migration (origin, version, field hashes, checksum), and raises the version only upwards for the same target id', async () => {
    const outcome = {
      status: 'migrated' as const,
      targetId: 'prj_9',
      origin: 'created' as const,
      targetVersion: 1,
      fieldHashes: { name: 'aaaa', 'address.street': 'bbbb' },
      migratedChecksum: 'c9',
    };
    await ledger.recordOutcome(key('db:projects:9'), 'run-1', outcome);
    await ledger.noteTargetVersion(key('db:projects:9'), 'prj_9', 3);
    await ledger.noteTargetVersion(key('db:projects:9'), 'prj_9', 2);
    await ledger.noteTargetVersion(key('db:projects:9'), 'prj_other', 7);
    await ledger.noteTargetVersion(key('db:projects:404'), 'prj_404', 7);
    const found = await ledger.getMany('acme', 'projects', ['db:projects:9', 'db:projects:404']);
    expect(found.get('db:projects:9')).to.deep.include({ origin: 'created', targetVersion: 3, fieldHashes: outcome.fieldHashes, migratedChecksum: 'c9' });
    expect(found.has('db:projects:404')).to.equal(false);
  });

  it('keeps a failure with its code, field and payload, and clears them once migrated', async () => {
    await ledger.recordOutcome(key('db:projects:2'), 'run-1', {
      status: 'failed',
      code: 'invalid_value',
      field: 'endDate',
      message: 'before start',
      payload: { id: 2 },
    });
    let entry = (await ledger.getMany('acme', 'projects', ['db:projects:2'])).get('db:projects:2');
    expect(entry).to.include({ status: 'failed', code: 'invalid_value', field: 'endDate', payload: '{"id":2}' });
    await ledger.recordOutcome(key('db:projects:2'), 'run-2', { status: 'migrated', targetId: 'prj_2' });
    entry = (await ledger.getMany('acme', 'projects', ['db:projects:2'])).get('db:projects:2');
    expect(entry).to.include({ status: 'migrated', runId: 'run-2', attempts: 2 });
    expect(entry).to.not.have.any.keys('code', 'field', 'payload');
  });

  it('puts a payload too big for an item into the payload store and keeps its key', async () => {
    await ledger.recordOutcome(key('db:projects:3'), 'run-1', {
      status: 'failed',
      code: 'invalid_value',
      field: 'remarks',
      message: 'long',
      payload: { remarks: 'x'.repeat(100_000) },
    });
    const entry = (await ledger.getMany('acme', 'projects', ['db:projects:3'])).get('db:projects:3');
    expect(entry?.payload).to.equal(undefined);
    expect(payloads.objects.get(entry?.payloadKey ?? '')).to.have.length.greaterThan(100_000);
  });

  it('counts a producer range once however often the step is retried', async () => {
    await runs.startRun({ customer: 'acme', runId: 'run-9', startedAt: new Date().toISOString(), status: 'RUNNING', options: {} });
    for (let i = 0; i < 3; i += 1) await runs.recordRange('acme', 'run-9', 'connections', 'db#r0#0', { source: 10, alreadyMigrated: 4, queued: 6 });
    await runs.recordRange('acme', 'run-9', 'connections', 'db#r1#0', { source: 5, alreadyMigrated: 0, queued: 5 });
    await runs.addOutcomes('acme', 'run-9', 'connections', { migrated: 2, failed: 1 });
    const progress = await runs.progress('acme', 'run-9');
    expect(progress.connections).to.deep.equal({ source: 15, alreadyMigrated: 4, queued: 11, migrated: 2, updated: 0, unchanged: 0, failed: 1, skipped: 0 });
    expect(await runs.latestRunId('acme')).to.equal('run-9');
  });
  it('keeps a dry run in its own namespace: the real entry is unchanged, the by-run index lists the dry entries, identity claims go to the first', async () => {
    await ledger.recordOutcome(key('db:projects:40'), 'run-1', { status: 'failed', code: 'invalid_value', message: 'bad' });
    const before = (await ledger.getMany('acme', 'projects', ['db:projects:40'])).get('db:projects:40');
    const dry = ledger.forDryRun('dry-1');
    await dry.markQueued('dry-1', [{ key: key('db:projects:40'), sourceChecksum: 'c', ...(before ? { previous: before } : {}) }]);
    await dry.recordOutcome(key('db:projects:40'), 'dry-1', { status: 'migrated', targetId: 'dry-run:db:projects:40' });
    expect((await ledger.getMany('acme', 'projects', ['db:projects:40'])).get('db:projects:40')).to.deep.equal(before);
    expect((await dry.getMany('acme', 'projects', ['db:projects:40'])).get('db:projects:40')).to.include({ status: 'migrated', runId: 'dry-1' });
    const listed = [];
    for await (const entry of ledger.entriesOfRun('dry-1', 'projects', ['db'])) listed.push(entry.externalRef);
    expect(listed).to.deep.equal(['db:projects:40']);
    expect(await dry.claimIdentity(key('db:addresses:1', 'connections'), 'same-address')).to.equal('db:addresses:1');
    expect(await dry.claimIdentity(key('db:addresses:2', 'connections'), 'same-address')).to.equal('db:addresses:1');
    expect(await dry.claimIdentity(key('db:addresses:1', 'connections'), 'same-address'), 'a redelivery keeps its claim').to.equal('db:addresses:1');
    expect(await ledger.forDryRun('dry-2').claimIdentity(key('db:addresses:2', 'connections'), 'same-address'), 'another dry run starts afresh').to.equal(
      'db:addresses:2',
    );
  });

  it("lets a dry run's entries expire (expiresAt, DynamoDB TTL, the retention days ahead) and never the real ones", async () => {
    const kept = new Ledger(tables.db, tables.names.ledger, { payloads, dryRunRetentionDays: 30 });
    const now = Math.floor(Date.now() / 1000);
    await kept.recordOutcome(key('db:projects:50'), 'run-1', { status: 'failed', code: 'invalid_value', message: 'bad', payload: { name: 'Jan Jansen' } });
    const dry = kept.forDryRun('dry-9');
    await dry.markQueued('dry-9', [{ key: key('db:projects:50'), sourceChecksum: 'c' }]);
    await dry.recordOutcome(key('db:projects:50'), 'dry-9', { status: 'failed', code: 'invalid_value', message: 'bad', payload: { name: 'Jan Jansen' } });
    await dry.claimIdentity(key('db:addresses:50', 'connections'), 'an-address');
    const items = (await tables.db.send(new ScanCommand({ TableName: tables.names.ledger }))).Items ?? [];
    const dryItems = items.filter((item) => String(item.pk).startsWith('dry#dry-9#'));
    expect(dryItems.length, 'the entry and the address claim').to.equal(2);
    for (const item of dryItems) expect(Number(item.expiresAt) - now, String(item.pk)).to.be.within(30 * 86_400 - 5, 30 * 86_400 + 5);
    expect(items.find((item) => item.externalRef === 'db:projects:50' && !String(item.pk).startsWith('dry#'))).to.not.have.property('expiresAt');
  });
  it("never makes a dry run the customer's latest run: it is the latest dry run instead", async () => {
    await runs.startRun({ customer: 'dryco', runId: 'run-1', startedAt: new Date().toISOString(), status: 'RUNNING', options: {} });
    await runs.startRun({ customer: 'dryco', runId: 'dry-1', startedAt: new Date().toISOString(), status: 'RUNNING', options: { dryRun: true }, dryRun: true });
    expect(await runs.latestRunId('dryco')).to.equal('run-1');
    expect(await runs.latestRunId('dryco', true)).to.equal('dry-1');
  });
});
