import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTIONS } from '../domain/constants.ts';
import type { Collection } from '../domain/types.ts';
import type { RunStore } from '../ledger/run-store.ts';
import { BALANCE_FIGURES, FAILING_LISTS, HTML_LIST_CAP, VERIFY_LISTS, verifyKeys } from './constants.ts';
import { databaseOf } from './rules.ts';
import { verifyPage } from './verify-html.ts';
import type { VerifyStore } from './verify-store.ts';
import type { VerifyCounts, VerifyList, VerifySummary } from './types.ts';

/** Where the finished files go (the engine's bucket). */
export interface VerifyReportStore {
  putFile(key: string, path: string, contentType: string): Promise<string>;
}

/** What {@link VerifyReportWriter.write} stored: small enough for the state machine's output. */
export interface WrittenVerification {
  ok: boolean;
  status: VerifySummary['status'];
  keys: { json: string; html: string };
}

type SubprojectCounts = VerifyCounts & Record<VerifyList, number>;

const emptyCounts = (): SubprojectCounts => ({
  source: 0,
  migrated: 0,
  skipped: 0,
  failed: 0,
  notYetRun: 0,
  listed: 0,
  ledgerMigrated: 0,
  missing: 0,
  stray: 0,
  changedInTarget: 0,
  changedInSource: 0,
});

async function put(stream: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

/**
 * Writes verify.json and verify.html in bounded memory: the figures are
 * summed per collection and sub-project, each list streams from the run
 * table into a file on disk (only its count per sub-project and the first
 * records for the page stay in memory), then the files go to the bucket
 * and the run is closed.
 */
export class VerifyReportWriter {
  public constructor(
    private readonly store: Pick<VerifyStore, 'figures' | 'findings'>,
    private readonly runs: Pick<RunStore, 'getRun' | 'updateRun'>,
    private readonly files: VerifyReportStore,
  ) {}

  /** Closes the verification run with `status` and writes its files; `error` says why a failed one stopped. */
  public async write(customer: string, runId: string, status: VerifySummary['status'], error?: string, now = new Date()): Promise<WrittenVerification> {
    const run = await this.runs.getRun(customer, runId);
    if (!run) throw new Error(`no verification ${runId} for customer ${customer}`);
    const finishedAt = now.toISOString();
    const subprojects = new Map<Collection, Map<string, SubprojectCounts>>(COLLECTIONS.map((collection) => [collection, new Map()]));
    const countsOf = (collection: Collection, database: string): SubprojectCounts => {
      const map = subprojects.get(collection)!;
      let counts = map.get(database);
      if (!counts) map.set(database, (counts = emptyCounts()));
      return counts;
    };
    for await (const figures of this.store.figures(customer, runId)) {
      const counts = countsOf(figures.collection, figures.database);
      for (const name of BALANCE_FIGURES) counts[name] += figures.balance?.[name] ?? 0;
      counts.listed += figures.listed ?? 0;
      counts.ledgerMigrated += figures.ledgerMigrated ?? 0;
    }
    const folder = await mkdtemp(join(tmpdir(), 'verify-'));
    try {
      const listFiles = new Map<string, string>();
      const samples = new Map<string, { count: number; sample: { externalRef: string; targetId: string }[] }>();
      for (const collection of COLLECTIONS) {
        for (const list of VERIFY_LISTS) {
          const path = join(folder, `${collection}-${list}.json`);
          const out = createWriteStream(path);
          const summary = { count: 0, sample: [] as { externalRef: string; targetId: string }[] };
          for await (const finding of this.store.findings(customer, runId, collection, list)) {
            await put(out, `${summary.count ? ',\n' : '\n'}${JSON.stringify(finding)}`);
            if (summary.sample.length < HTML_LIST_CAP) summary.sample.push(finding);
            summary.count += 1;
            countsOf(collection, databaseOf(finding.externalRef))[list] += 1;
          }
          await close(out);
          listFiles.set(`${collection}/${list}`, path);
          samples.set(`${collection}/${list}`, summary);
        }
      }
      const lost = COLLECTIONS.some((collection) => FAILING_LISTS.some((list) => samples.get(`${collection}/${list}`)!.count > 0));
      const entities = Object.fromEntries(
        COLLECTIONS.map((collection) => {
          const bySubproject = Object.fromEntries([...subprojects.get(collection)!].sort(([a], [b]) => a.localeCompare(b)));
          const totals = emptyCounts();
          for (const counts of Object.values(bySubproject)) for (const name of Object.keys(totals) as (keyof SubprojectCounts)[]) totals[name] += counts[name];
          const { missing: _m, stray: _s, changedInTarget: _t, changedInSource: _c, ...figures } = totals;
          return [
            collection,
            { ...figures, ...Object.fromEntries(VERIFY_LISTS.map((list) => [list, samples.get(`${collection}/${list}`)!])), subprojects: bySubproject },
          ];
        }),
      ) as VerifySummary['entities'];
      const summary: VerifySummary = {
        customer,
        runId,
        kind: 'verify',
        startedAt: run.startedAt,
        finishedAt,
        status,
        ok: status === 'SUCCEEDED' && !lost,
        ...(run.previousRunId ? { latestRunId: run.previousRunId } : {}),
        ...(error ? { error } : {}),
        entities,
      };
      const jsonPath = join(folder, 'verify.json');
      await this.assembleJson(jsonPath, summary, listFiles);
      const htmlPath = join(folder, 'verify.html');
      await writeFile(htmlPath, [...verifyPage(summary)].join(''));
      const keys = verifyKeys(customer, runId);
      await this.files.putFile(keys.html, htmlPath, 'text/html; charset=utf-8');
      // verify.json last: whoever finds it finds the page too.
      await this.files.putFile(keys.json, jsonPath, 'application/json');
      await this.runs.updateRun(customer, runId, { status, finishedAt, ...(error ? { error } : {}) });
      return { ok: summary.ok, status, keys: { json: keys.json, html: keys.html } };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** verify.json: the summary's fields, and per collection its figures, every list in full (streamed from its file) and the sub-projects. */
  private async assembleJson(path: string, summary: VerifySummary, listFiles: Map<string, string>): Promise<void> {
    const out = createWriteStream(path);
    const { entities, ...header } = summary;
    await put(out, `${JSON.stringify(header).slice(0, -1)},"entities":{`);
    for (const [index, collection] of COLLECTIONS.entries()) {
      const { subprojects, missing: _m, stray: _s, changedInTarget: _t, changedInSource: _c, ...figures } = entities[collection];
      await put(out, `${index ? ',' : ''}\n${JSON.stringify(collection)}:${JSON.stringify(figures).slice(0, -1)}`);
      for (const list of VERIFY_LISTS) {
        await put(out, `,${JSON.stringify(list)}:[`);
        for await (const chunk of createReadStream(listFiles.get(`${collection}/${list}`)!)) await put(out, chunk as Buffer);
        await put(out, '\n]');
      }
      await put(out, `,"subprojects":${JSON.stringify(subprojects)}}`);
    }
    await put(out, '\n}}\n');
    await close(out);
  }
}
