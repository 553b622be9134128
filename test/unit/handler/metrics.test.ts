import { expect } from 'chai';
import sinon from 'sinon';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ENGINE_METRICS, EngineMetrics, type EngineMetricName } from '../../../src/handler/metrics.ts';

/** One EMF document as CloudWatch reads it from a log line. */
interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** The EMF lines `publish` writes to stdout (where Lambda hands them to CloudWatch Logs), parsed. */
function published(metrics: EngineMetrics): EmfDocument[] {
  const lines: string[] = [];
  const write = sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    metrics.publish();
  } finally {
    write.restore();
  }
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EmfDocument);
}

const RUN = '20261125T034147Z-747a43';

describe("EngineMetrics: the engine's CloudWatch metrics as EMF lines (Powertools Metrics)", () => {
  let metrics: EngineMetrics;

  beforeEach(() => {
    metrics = new EngineMetrics(new Metrics({ namespace: 'fiberplan-migration-test', serviceName: 'consumer' }));
  });

  it("sums an invocation's records per customer and collection into one document each, with the run id as metadata, not as a dimension", () => {
    metrics.countRecords({ customer: 'acme', collection: 'projects', runId: RUN }, { migrated: 8, failed: 1, skipped: 1 });
    metrics.countRecords({ customer: 'acme', collection: 'projects', runId: RUN }, { migrated: 2, updated: 3 });
    metrics.countRecords({ customer: 'acme', collection: 'connections', runId: RUN }, { migrated: 5 });
    const documents = published(metrics);
    expect(documents.map((d) => [d.collection, d.RecordsMigrated, d.RecordsUpdated, d.RecordsFailed, d.RecordsSkipped])).to.deep.equal([
      ['projects', 10, 3, 1, 1],
      ['connections', 5, 0, 0, 0],
    ]);
    for (const document of documents) {
      const [definition] = document._aws.CloudWatchMetrics;
      expect(definition!.Namespace).to.equal('fiberplan-migration-test');
      expect(definition!.Dimensions).to.deep.equal([['service', 'customer', 'collection']]);
      expect(document).to.include({ service: 'consumer', customer: 'acme', runId: RUN });
    }
  });

  it("writes a failed count below 0 (a redriven record's exhausted retries replaced by its new outcome) as 0: failures are counted when they happen", () => {
    metrics.countRecords({ customer: 'acme', collection: 'projects', runId: RUN }, { migrated: 1, failed: -1 });
    expect(published(metrics).map((d) => [d.RecordsMigrated, d.RecordsFailed])).to.deep.equal([[1, 0]]);
  });

  it('counts the requests sent to FiberConnect and its 429 answers per customer, and the rates in force per customer', () => {
    for (const status of [201, 201, 429, undefined]) metrics.countTargetRequest('acme', status);
    metrics.countTargetRequest('northwind', 200);
    metrics.notePace('acme', 'target', 20);
    metrics.notePace('acme', 'source', 5);
    const documents = published(metrics);
    const of = (customer: string) => documents.filter((d) => d.customer === customer).reduce((all, d) => ({ ...all, ...d }), {} as Record<string, unknown>);
    expect(of('acme')).to.include({ TargetRequests: 4, TargetThrottled: 1, TargetRateLimit: 20, SourceRateLimit: 5 });
    expect(of('northwind')).to.include({ TargetRequests: 1, TargetThrottled: 0 });
    for (const document of documents) expect(document._aws.CloudWatchMetrics[0]!.Dimensions).to.deep.equal([['service', 'customer']]);
  });

  it("writes a queue's depth per collection (a queue serves every customer)", () => {
    metrics.noteQueueDepth('work-orders', 42);
    const [document, ...more] = published(metrics);
    expect(more).to.deep.equal([]);
    expect(document).to.include({ collection: 'work-orders', QueueMessages: 42 });
    expect(document!._aws.CloudWatchMetrics[0]!.Dimensions).to.deep.equal([['service', 'collection']]);
  });

  it('writes nothing when nothing was counted, and starts from zero after each publish', () => {
    expect(published(metrics)).to.deep.equal([]);
    metrics.countRecords({ customer: 'acme', collection: 'projects', runId: RUN }, { migrated: 1 });
    expect(published(metrics)).to.have.length(1);
    expect(published(metrics)).to.deep.equal([]);
  });

  it('writes every metric with the unit and the dimensions ENGINE_METRICS gives it, and no other metric', () => {
    metrics.countRecords({ customer: 'acme', collection: 'projects', runId: RUN }, { migrated: 1 });
    metrics.countTargetRequest('acme', 429);
    metrics.notePace('acme', 'target', 20);
    metrics.notePace('acme', 'source', 5);
    metrics.noteQueueDepth('projects', 3);
    const seen = new Map<string, { unit: string; dimensions: string[] }>();
    for (const document of published(metrics)) {
      const [definition] = document._aws.CloudWatchMetrics;
      for (const metric of definition!.Metrics) seen.set(metric.Name, { unit: metric.Unit, dimensions: definition!.Dimensions[0]! });
    }
    expect([...seen.keys()].sort()).to.deep.equal(Object.keys(ENGINE_METRICS).sort());
    for (const [name, { unit, dimensions }] of seen) {
      const definition = ENGINE_METRICS[name as EngineMetricName];
      expect({ unit, dimensions }, name).to.deep.equal({ unit: definition.unit, dimensions: ['service', ...definition.dimensions] });
    }
  });
});
