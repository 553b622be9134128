import { expect } from 'chai';
import type { Collection } from '../../../src/domain/types.ts';
import { Ledger } from '../../../src/ledger/ledger.ts';
import type { RunReport } from '../../../src/ledger/report.ts';
import { RunReportWriter } from '../../../src/ledger/report-writer.ts';
import { RunStore } from '../../../src/ledger/run-store.ts';
import type { LedgerEntry } from '../../../src/ledger/types.ts';
import { startTestTables, type TestTables } from '../../helpers/dynamodb.ts';
import { MemoryReportStore } from '../../helpers/report-store.ts';

/** The by-run index as DynamoDB may serve it right after the last write: the first read misses the newest outcome. */
class LaggingIndex implements Pick<Ledger, 'entriesOfRun'> {
  public reads = 0;

  public constructor(
    private readonly ledger: Ledger,
    private readonly missing: string,
  ) {}

  public async *entriesOfRun(runId: string, collection: Collection, databases: readonly string[]): AsyncGenerator<LedgerEntry> {
    if (collection === 'connections') this.reads++;
    for await (const entry of this.ledger.entriesOfRun(runId, collection, databases)) if (this.reads > 1 || entry.externalRef !== this.missing) yield entry;
  }
}

describe("a finished run's report waits for the by-run index (dynalite)", function () {
  this.timeout(60_000);
  let tables: TestTables;
  let ledger: Ledger;
  let runs: RunStore;
  const refs = ['fp_acme_north:addresses:1', 'fp_acme_north:addresses:2'];

  beforeEach(async () => {
    tables = await startTestTables();
    ledger = new Ledger(tables.db, tables.names.ledger);
    runs = new RunStore(tables.db, tables.names.runs);
    await runs.startRun({
      customer: 'acme',
      runId: 'run-i',
      startedAt: '2026-01-01T00:00:00.000Z',
      status: 'RUNNING',
      options: {},
      databases: ['fp_acme_north'],
    });
    await runs.recordRange('acme', 'run-i', 'connections', 'fp_acme_north#r0#0', { source: 2, alreadyMigrated: 0, queued: 2 });
    await ledger.markQueued(
      'run-i',
      refs.map((externalRef) => ({ key: { customer: 'acme', collection: 'connections' as const, externalRef }, sourceChecksum: 'c' })),
    );
    for (const [i, externalRef] of refs.entries())
      await ledger.recordOutcome({ customer: 'acme', collection: 'connections', externalRef }, 'run-i', { status: 'migrated', targetId: `con_${i}` });
    await runs.addOutcomes('acme', 'run-i', 'connections', { migrated: 2 }, 'fp_acme_north');
    await runs.updateRun('acme', 'run-i', { status: 'SUCCEEDED', finishedAt: '2026-01-01T00:01:00.000Z' });
  });
  afterEach(async () => tables.close());

  it('reads the index again when it shows fewer outcomes than the live counters, and reports them all without setting the counters down', async () => {
    const index = new LaggingIndex(ledger, refs[1]!);
    const store = new MemoryReportStore();
    const { keys, settled } = await new RunReportWriter(index, runs, store).write('acme', 'run-i');
    expect(index.reads).to.equal(2);
    expect((JSON.parse(store.text(keys.json)) as RunReport).entities.connections).to.include({ source: 2, migrated: 2 });
    expect(settled).to.deep.equal([]);
    expect((await runs.progress('acme', 'run-i')).connections).to.include({ migrated: 2 });
  });

  it('without the wait, the lagging index would set the live counters down (what the wait prevents)', async () => {
    const index = new LaggingIndex(ledger, refs[1]!);
    const { settled } = await new RunReportWriter(index, runs, new MemoryReportStore()).write('acme', 'run-i', new Date(), 0);
    expect(settled.map((s) => [s.collection, s.live.migrated, s.ledger.migrated])).to.deep.equal([['connections', 2, 1]]);
  });
});
