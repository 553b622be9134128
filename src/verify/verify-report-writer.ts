import { type Collection, COLLECTIONS } from '../domain/index.ts';
import type { RunRecord, RunStore } from '../ledger/index.ts';
import { type JsonArrayFile, oneMemberPerLine, ReportFiles, type ReportStore } from '../report/index.ts';
import { FAILING_LISTS, HTML_LIST_CAP, VERIFY_LISTS, verifyKeys } from './constants.ts';
import { verifyPage } from './verify-html.ts';
import type { VerifyStore } from './verify-store.ts';
import { VerifyTally } from './verify-tally.ts';
import type { VerifyFinding, VerifyList, VerifySummary } from './types.ts';

/** What {@link VerifyReportWriter.write} stored: small enough for the state machine's output. */
export interface WrittenVerification {
  ok: boolean;
  status: VerifySummary['status'];
  keys: { json: string; html: string };
}

/** How a verification ends: its status, and why a failed one stopped. */
interface Closing {
  customer: string;
  runId: string;
  status: VerifySummary['status'];
  error: string | undefined;
  finishedAt: string;
}

/** One list of one collection: every record streamed to its file, the first ones kept for the page. */
interface StreamedList {
  file: JsonArrayFile;
  sample: VerifyFinding[];
}

/** The lists by `<collection>/<list>`. */
type Lists = Map<string, StreamedList>;

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
    private readonly files: ReportStore,
  ) {}

  /** Closes the verification run with `status` and writes its files; `error` says why a failed one stopped. */
  public async write(customer: string, runId: string, status: VerifySummary['status'], error?: string, now = new Date()): Promise<WrittenVerification> {
    const run = await this.runs.getRun(customer, runId);
    if (!run) throw new Error(`no verification ${runId} for customer ${customer}`);
    const closing: Closing = { customer, runId, status, error, finishedAt: now.toISOString() };
    const tally = new VerifyTally();
    for await (const figures of this.store.figures(customer, runId)) tally.addFigures(figures);
    const keys = verifyKeys(customer, runId);
    const summary = await ReportFiles.write('verify-', async (files) => {
      const lists = await this.readLists(files, closing, tally);
      const summary = verifySummary(run, closing, tally, lists);
      await files.store(this.files, {
        html: { key: keys.html, page: verifyPage(summary) },
        json: { key: keys.json, document: verifyDocument(summary, lists) },
      });
      return summary;
    });
    await this.runs.updateRun(customer, runId, { status, finishedAt: closing.finishedAt, ...(error ? { error } : {}) });
    return { ok: summary.ok, status, keys: { json: keys.json, html: keys.html } };
  }

  /** Streams every list of every collection from the run table to its file, counting each record against its sub-project. */
  private async readLists(files: ReportFiles, { customer, runId }: Closing, tally: VerifyTally): Promise<Lists> {
    const lists: Lists = new Map();
    for (const collection of COLLECTIONS) {
      for (const list of VERIFY_LISTS) {
        const streamed: StreamedList = { file: files.array(`${collection}-${list}.json`, '[\n]'), sample: [] };
        for await (const finding of this.store.findings(customer, runId, collection, list)) {
          await streamed.file.add(finding);
          if (streamed.sample.length < HTML_LIST_CAP) streamed.sample.push(finding);
          tally.addFinding(collection, list, finding);
        }
        lists.set(`${collection}/${list}`, streamed);
      }
    }
    return lists;
  }
}

const listOf = (lists: Lists, collection: Collection, list: VerifyList): StreamedList => lists.get(`${collection}/${list}`)!;

/** The verification's figures with each list's count and first records; ok when every step ran and nothing is missing or stray. */
function verifySummary(run: RunRecord, { customer, runId, status, error, finishedAt }: Closing, tally: VerifyTally, lists: Lists): VerifySummary {
  const lost = COLLECTIONS.some((collection) => FAILING_LISTS.some((list) => listOf(lists, collection, list).file.count > 0));
  const entities = COLLECTIONS.map((collection) => {
    const counted = VERIFY_LISTS.map((list) => {
      const { file, sample } = listOf(lists, collection, list);
      return [list, { count: file.count, sample }];
    });
    return [collection, tally.entity(collection, Object.fromEntries(counted))];
  });
  return {
    customer,
    runId,
    kind: 'verify',
    startedAt: run.startedAt,
    finishedAt,
    status,
    ok: status === 'SUCCEEDED' && !lost,
    ...(run.previousRunId ? { latestRunId: run.previousRunId } : {}),
    ...(error ? { error } : {}),
    entities: Object.fromEntries(entities),
  };
}

/** verify.json: the summary's fields, and per collection its figures, every list in full (streamed from its file) and the sub-projects. */
function verifyDocument(summary: VerifySummary, lists: Lists): Record<string, unknown> {
  const entities = COLLECTIONS.map((collection) => {
    const { subprojects, missing: _m, stray: _s, changedInTarget: _t, changedInSource: _c, ...figures } = summary.entities[collection];
    const streamed = Object.fromEntries(VERIFY_LISTS.map((list) => [list, listOf(lists, collection, list).file]));
    return [collection, { ...figures, ...streamed, subprojects }];
  });
  return { ...summary, entities: oneMemberPerLine(Object.fromEntries(entities)) };
}
