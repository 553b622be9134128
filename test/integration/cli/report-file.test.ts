import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
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
      entities: Object.fromEntries(COLLECTIONS.map((collection) => {
        const { deletedInSource, ...figures } = summary.entities[collection];
        const failures: ReportFailure[] = [{ externalRef: `fp_big_0:${collection}:1`, code: 'orphan', message: 'no parent' }];
        return [collection, { ...figures, failures, deletedInSource: { ...deletedInSource, count: 1, records: [{ externalRef: `fp_big_0:${collection}:2`, targetId: 't-2', deleted: false }] } }];
      })) as RunReport['entities'],
    };
    const path = join(folder, 'report.json');
    await writeJson(path, JSON.stringify(report), [], '');

    const figures = await readRunFigures(path);
    for (const collection of COLLECTIONS) {
      const { failures: _failures, deletedInSource, ...rest } = report.entities[collection];
      expect(figures.entities[collection], collection).to.deep.equal({ ...rest, deletedInSource: { count: deletedInSource.count, deleted: deletedInSource.deleted } });
    }
    const { entities: _entities, ...header } = report;
    expect(figures).to.deep.include(header);
  });

  it('reads a report.json of 200,000 failures to the same figures as one of a single failure', async () => {
    const head = '{"customer":"big","runId":"r","entities":{"connections":{"source":200000,"failed":200000,"groups":[{"code":"orphan","count":200000,"subprojects":[],"sample":[]}],"failures":[';
    const path = join(folder, 'big.json');
    const failure = (i: number): ReportFailure => ({ externalRef: `fp_big_0:addresses:${i}`, code: 'orphan', message: `address ${i} has no project`, field: 'projectId', value: String(i) });
    await writeJson(path, head, [{ before: '', count: 200_000, item: failure }], '],"deletedInSource":{"count":0,"deleted":0,"records":[]}}}}');
    expect(await readRunFigures(path)).to.deep.equal({
      customer: 'big', runId: 'r',
      entities: { connections: { source: 200_000, failed: 200_000, groups: [{ code: 'orphan', count: 200_000, subprojects: [], sample: [] }], deletedInSource: { count: 0, deleted: 0 } } },
    });
  });

  it("reads rollback.json's counts and kept records by reason, and none of its kept records or failures", async () => {
    const rollback: RollbackReport = {
      customer: 'acme', runId: 'rb-1', kind: 'rollback', startedAt: '2026-12-04T00:00:00.000Z', finishedAt: '2026-12-04T00:01:00.000Z', status: 'SUCCEEDED',
      entities: Object.fromEntries(ROLLBACK_ORDER.map((collection) => [collection, { removed: 5, alreadyGone: 1, failed: 1, keptByReason: { has_children: 1 }, kept: [{ externalRef: `${collection}:1`, targetId: 't-1', reason: 'has_children' }] }])) as RollbackReport['entities'],
      failures: [{ collection: 'projects', externalRef: 'projects:9', targetId: 't-9', message: '400 bad_request' }],
      target: { workflowsRestored: true, emailRestored: true },
    };
    const path = join(folder, 'rollback.json');
    await writeJson(path, JSON.stringify(rollback), [], '');

    const figures = await readRollbackFigures(path);
    expect(figures).not.to.have.property('failures');
    for (const collection of ROLLBACK_ORDER) expect(figures.entities[collection], collection).to.deep.equal({ removed: 5, alreadyGone: 1, failed: 1, keptByReason: { has_children: 1 } });
    expect(figures).to.deep.include({ customer: 'acme', runId: 'rb-1', kind: 'rollback', status: 'SUCCEEDED', target: { workflowsRestored: true, emailRestored: true } });
  });
});
