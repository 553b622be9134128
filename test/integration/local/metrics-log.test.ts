import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import sinon from 'sinon';
import { LambdaEndpoint } from '../../../tooling/local/lambda-endpoint.ts';
import { MetricsLog, readMetricsLog, type EmfDocument } from '../../../tooling/local/metrics-log.ts';
import { fixtureBundle, tempDir } from './helpers.ts';

describe('MetricsLog: the EMF lines of the functions, as CloudWatch Logs would turn them into metrics, in a file a test can read', () => {
  let folder: string;

  before(() => {
    folder = tempDir('metrics-log');
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('appends each EMF line a function writes on stdout to the file, from every instance, and passes its other lines on to stdout', async () => {
    const path = join(folder, 'metrics.jsonl');
    const endpoint = new LambdaEndpoint({
      port: 0,
      metricsLog: new MetricsLog(path),
      functions: { emf: { bundlePath: fixtureBundle('emf'), concurrency: 2 } },
    });
    const passed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const stdout = sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (String(chunk).includes('an ordinary log line')) passed.push(String(chunk));
      return (write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
    });
    let documents: EmfDocument[];
    try {
      await endpoint.start();
      const answers = await Promise.all([1, 2, 3].map((n) => endpoint.invoke('emf', { n })));
      expect(answers.map((answer) => answer.functionError)).to.deep.equal([undefined, undefined, undefined]);
      // Read before the workers end: an invocation's metrics are in the log when its answer is.
      documents = await readMetricsLog(path);
      // The other lines travel on the worker's stdout stream, which arrives when it arrives.
      for (let look = 0; look < 100 && passed.length < 3; look += 1) await sleep(100);
    } finally {
      stdout.restore();
      await endpoint.close();
    }
    expect(documents.map((d) => d.RecordsMigrated).sort()).to.deep.equal([1, 2, 3]);
    for (const document of documents) {
      expect(document).to.include({ service: 'emf', customer: 'acme' });
      expect(document._aws.CloudWatchMetrics[0]).to.deep.include({ Namespace: 'fiberplan-migration-fixture', Dimensions: [['service', 'customer']] });
    }
    expect(passed.map((line) => line.trim()).sort()).to.deep.equal(['an ordinary log line 1', 'an ordinary log line 2', 'an ordinary log line 3']);
  });

  it('tells an EMF line from a log line that merely is JSON, and reads an absent log as no metrics', async () => {
    expect(MetricsLog.isEmf('{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[]}]}}')).to.equal(true);
    expect(MetricsLog.isEmf('{"level":"WARN","message":"_aws CloudWatchMetrics"}')).to.equal(false);
    expect(MetricsLog.isEmf('not json')).to.equal(false);
    const absent = join(folder, 'absent.jsonl');
    expect(existsSync(absent)).to.equal(false);
    expect(await readMetricsLog(absent)).to.deep.equal([]);
  });
});
