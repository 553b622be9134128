import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'chai';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import type { ReportFailure, RunReport } from '../../../src/ledger/report.ts';
import { ROLLBACK_ORDER } from '../../../src/rollback/constants.ts';
import type { RollbackReport } from '../../../src/rollback/types.ts';
import { readRollbackFigures, readRunFigures } from '../../../tooling/cli/report-file.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

/** Writes `value` as JSON with each of its `lists` (path in, items out) streamed in, as the report writers do: no whole file in memory here either. */
async function writeJson(path: string, head: string, lists: { before: string; count: number; item: (i: number) => unknown }[], tail: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(head);
  for (const { before, count, item } of lists) {
    out.write(before);
    for (let i = 0; i < count; i += 1) if (!out.write(`${i ? ',' : ''}${JSON.stringify(item(i))}`)) await once(out, 'drain');
  }
  out.end(tail);
  await once(out, 'close');
}

/** The old generation of the worker that reads a big report: far less than the file it reads. */
const HEAP_LIMIT_MB = 12;

/**
 * readRunFigures of `path` in a worker thread whose heap is {@link HEAP_LIMIT_MB}: a reader that holds the file runs out
 * of it. The worker loads the reader bundled as plain JavaScript, without tsx (`execArgv: []`): tsx's own loader in the
 * worker took most of so small a heap, and the worker failed at start on some runs.
 */
async function readInSmallHeap(path: string): Promise<unknown> {
  const bundle = join(dirname(path), 'report-file.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../../../tooling/cli/report-file.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    logLevel: 'silent',
  });
  const worker = new Worker(
    `import(${JSON.stringify(pathToFileURL(bundle).href)}).then((m) => m.readRunFigures(${JSON.stringify(path)})).then((figures) => require('node:worker_threads').parentPort.postMessage(figures))`,
    { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB, maxYoungGenerationSizeMb: 4 } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (figures: unknown) => {
      resolve(figures);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe("report files read by the CLI without their lists (streamed: a million records' failures never in its heap)", () => {
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'report-file-'));
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it("reads report.json's figures, causes and deleted-in-source counts, and none of its failures or gone records", async () => {
    const summary = syntheticSummary(1_000, 0.05);
    const report: RunReport = {
      ...summary,
      entities: Object.fromEntries(
        COLLECTIONS.map((collection) => {
          const { deletedInSource, ...figures } = summary.entities[collection];
          const failures: ReportFailure[] = [{ externalRef: `fp_big_0:${collection}:1`, code: 'orphan', message: 'no parent' }];
          return [
            collection,
            {
              ...figures,
              failures,
              deletedInSource: { ...deletedInSource, count: 1, records: [{ externalRef: `fp_big_0:${collection}:2`, targetId: 't-2', deleted: false }] },
            },
          ];
        }),
      ) as RunReport['entities'],
    };
    const path = join(folder, 'report.json');
    await writeJson(path, JSON.stringify(report), [], '');

    const figures = await readRunFigures(path);
    for (const collection of COLLECTIONS) {
      const { failures: _failures, deletedInSource, ...rest } = report.entities[collection];
      expect(figures.entities[collection], collection).to.deep.equal({
        ...rest,
        deletedInSource: { count: deletedInSource.count, deleted: deletedInSource.deleted },
      });
    }
    const { entities: _entities, ...header } = report;
    expect(figures).to.deep.include(header);
  });

  it('reads a report.json of 200,000 failures (26 MB) to the same figures as one of a single failure, in a heap too small to hold the file', async function () {
    // The bound is proven by enforcing it, not by a time: the reader runs in a worker whose heap cannot hold the
    // file's text, let alone its parsed failures; a reader that takes the whole file in runs out of it (tried with
    // JSON.parse of the file: V8 ends the process with "Reached heap limit", so the file fails).
    // About 7 s on an idle machine; the timeout is a safety net for a loaded one.
    this.timeout(300_000);
    const head =
      '{"customer":"big","runId":"r","entities":{"connections":{"source":200000,"failed":200000,"groups":[{"code":"orphan","count":200000,"subprojects":[],"sample":[]}],"failures":[';
    const path = join(folder, 'big.json');
    const failure = (i: number): ReportFailure => ({
      externalRef: `fp_big_0:addresses:${i}`,
      code: 'orphan',
      message: `address ${i} has no project`,
      field: 'projectId',
      value: String(i),
    });
    await writeJson(path, head, [{ before: '', count: 200_000, item: failure }], '],"deletedInSource":{"count":0,"deleted":0,"records":[]}}}}');
    expect(statSync(path).size, 'the file is larger than the heap it is read in').to.be.above(HEAP_LIMIT_MB * 1024 ** 2 * 2);
    expect(await readInSmallHeap(path)).to.deep.equal({
      customer: 'big',
      runId: 'r',
      entities: {
        connections: {
          source: 200_000,
          failed: 200_000,
          groups: [{ code: 'orphan', count: 200_000, subprojects: [], sample: [] }],
          deletedInSource: { count: 0, deleted: 0 },
        },
      },
    });
  });

  it("reads rollback.json's counts and kept records by reason, and none of its kept records or failures", async () => {
    const rollback: RollbackReport = {
      customer: 'acme',
      runId: 'rb-1',
      kind: 'rollback',
      startedAt: '2026-12-04T00:00:00.000Z',
      finishedAt: '2026-12-04T00:01:00.000Z',
      status: 'SUCCEEDED',
      entities: Object.fromEntries(
        ROLLBACK_ORDER.map((collection) => [
          collection,
          {
            removed: 5,
            alreadyGone: 1,
            failed: 1,
            keptByReason: { has_children: 1 },
            kept: [{ externalRef: `${collection}:1`, targetId: 't-1', reason: 'has_children' }],
          },
        ]),
      ) as RollbackReport['entities'],
      failures: [{ collection: 'projects', externalRef: 'projects:9', targetId: 't-9', message: '400 bad_request' }],
      target: { workflowsRestored: true, emailRestored: true },
    };
    const path = join(folder, 'rollback.json');
    await writeJson(path, JSON.stringify(rollback), [], '');

    const figures = await readRollbackFigures(path);
    expect(figures).not.to.have.property('failures');
    for (const collection of ROLLBACK_ORDER)
      expect(figures.entities[collection], collection).to.deep.equal({ removed: 5, alreadyGone: 1, failed: 1, keptByReason: { has_children: 1 } });
    expect(figures).to.deep.include({
      customer: 'acme',
      runId: 'rb-1',
      kind: 'rollback',
      status: 'SUCCEEDED',
      target: { workflowsRestored: true, emailRestored: true },
    });
  });
});
