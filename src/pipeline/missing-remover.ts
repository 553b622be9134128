import type { Collection } from '../domain/index.ts';
import type { Ledger, RunStore } from '../ledger/index.ts';
import { classifyRemoval, removalRequest, TargetError, withRetries } from '../target/index.ts';
import { DeleteMissingRefusedError } from './errors.ts';
import type { TargetSender } from './types.ts';

/** What the remover needs from the outside; created once per warm instance. */
export interface MissingRemoverDependencies {
  ledger: Pick<Ledger, 'entriesOfRun' | 'recordRemoval'>;
  /** The run table: the run's sub-projects, whose by-run keys hold its entries, and the rows its producers read. */
  runs: Pick<RunStore, 'getRun' | 'progress'>;
  /** A FiberConnect client whose every request waits for the customer's shared target rate. */
  targetClient(customer: string, targetRps: number): Promise<TargetSender>;
}

/** Where one collection's DELETE_MISSING pass stands after a step. */
export interface RemovalStep {
  /** Every record gone from the source is deleted or kept; false: the step ran out of time, the next one goes on. */
  done: boolean;
  deleted: number;
  kept: number;
}

/** The collections DELETE_MISSING removes from, children first (a work order's update goes with its work order). */
const REMOVED_COLLECTIONS = ['planboard-slots', 'documents', 'work-orders', 'connections', 'contractors', 'projects'] as const satisfies readonly Exclude<
  Collection,
  'work-order-updates'
>[];

/** What DELETE_MISSING would delete of one collection. */
export interface DeleteShare {
  collection: Exclude<Collection, 'work-order-updates'>;
  /** Records of the run gone from FiberPlan (deletedInSource), still in FiberConnect. */
  gone: number;
  /** The collection as the run met it: the rows it read plus those gone. */
  total: number;
}

/** Tries of one DELETE on 429, 5xx, timeouts and dropped connections. */
const MAX_TRIES = 5;

/**
 * DELETE_MISSING: deletes from FiberConnect the records of one collection
 * that this run found gone from FiberPlan (`deletedInSource`), each with
 * `If-Match` of the version the engine last wrote. The workflow runs it per
 * collection, children before parents. A 404 is gone already (deleted); a 412
 * (a person changed it) and a 409 `has_children` keep it. Restartable: a
 * record once deleted or kept is no longer `deletedInSource`, so a retried
 * step goes on with the rest.
 *
 * @example
 * const remover = new MissingRemover({ ledger: engine.ledger, runs: engine.runs, targetClient: (customer, rps) => engine.controlClient(customer, rps) });
 * await remover.checkShare({ customer: 'acme', runId }, 0.05); // DeleteMissingRefusedError when a collection would lose more than 5%
 * const step = await remover.remove({ customer: 'acme', runId, collection: 'documents', targetRps: 20 }, Date.now() + 120_000);
 */
export class MissingRemover {
  public constructor(private readonly deps: MissingRemoverDependencies) {}

  /**
   * DELETE_MISSING's guard, before anything is deleted: what share of each
   * collection the run would delete, the records gone from FiberPlan against
   * the collection as the run met it (the rows its producers read plus those
   * gone). Over `maxShare` for any collection is a typo'd registry, a
   * truncated table, a wrong database: nothing is deleted.
   * @throws DeleteMissingRefusedError naming every collection over the share, in one line.
   */
  public async checkShare(scope: { customer: string; runId: string }, maxShare: number): Promise<DeleteShare[]> {
    const run = await this.deps.runs.getRun(scope.customer, scope.runId);
    if (!run) throw new Error(`no run ${scope.runId} for customer ${scope.customer}`);
    const progress = await this.deps.runs.progress(scope.customer, scope.runId, ['rows']);
    const shares: DeleteShare[] = [];
    for (const collection of REMOVED_COLLECTIONS) {
      let gone = 0;
      for await (const entry of this.deps.ledger.entriesOfRun(scope.runId, collection, run.databases ?? []))
        if (entry.delta === 'deletedInSource' && entry.status === 'migrated') gone += 1;
      const rows = Number((progress[collection] as unknown as Record<string, number> | undefined)?.rows ?? 0);
      shares.push({ collection, gone, total: rows + gone });
    }
    const over = shares.filter((share) => share.gone > 0 && share.gone > maxShare * share.total);
    if (over.length > 0) throw new DeleteMissingRefusedError(refusalLine(over, maxShare), { customer: scope.customer, runId: scope.runId, maxShare, over });
    return shares;
  }

  /** Removes until done or `deadline` (ms since epoch) has passed. */
  public async remove(
    scope: { customer: string; runId: string; collection: Exclude<Collection, 'work-order-updates'>; targetRps: number },
    deadline: number,
  ): Promise<RemovalStep> {
    const step: RemovalStep = { done: true, deleted: 0, kept: 0 };
    const client = await this.deps.targetClient(scope.customer, scope.targetRps);
    const run = await this.deps.runs.getRun(scope.customer, scope.runId);
    if (!run) throw new Error(`no run ${scope.runId} for customer ${scope.customer}`);
    for await (const entry of this.deps.ledger.entriesOfRun(scope.runId, scope.collection, run.databases ?? [])) {
      if (entry.delta !== 'deletedInSource' || entry.status !== 'migrated' || !entry.targetId) continue;
      if (Date.now() >= deadline) return { ...step, done: false };
      const key = { customer: scope.customer, collection: scope.collection, externalRef: entry.externalRef };
      const outcome = await this.deleteOne(client, removalRequest(scope.collection, entry.targetId, entry.targetVersion));
      if (outcome.status === 'removed' || outcome.status === 'alreadyGone') {
        await this.deps.ledger.recordRemoval(key, scope.runId, { status: 'deleted' });
        step.deleted += 1;
      } else {
        const reason = outcome.status === 'kept' ? outcome.reason : 'failed';
        await this.deps.ledger.recordRemoval(key, scope.runId, {
          status: 'kept',
          code: reason === 'target_changed' ? 'target_changed' : 'rejected_by_target',
          reason,
          message: outcome.message,
        });
        step.kept += 1;
      }
    }
    return step;
  }

  /** One DELETE, tried again on transient answers; what is still transient after the tries is kept with its message. */
  private async deleteOne(
    client: TargetSender,
    request: ReturnType<typeof removalRequest>,
  ): Promise<Exclude<ReturnType<typeof classifyRemoval>, { status: 'transient' }>> {
    // A workflow step, not a queue delivery: no delivery deadline bounds its tries.
    const answer = await withRetries({ maxAttempts: MAX_TRIES, deadline: Number.POSITIVE_INFINITY }, async () => {
      try {
        return classifyRemoval(await client.send(request));
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        return { status: 'transient', message: error.message } as const;
      }
    });
    return answer.status === 'transient' ? { status: 'failed', message: `retries used up: ${answer.message}` } : answer;
  }
}

/** The one line of a refused DELETE_MISSING: each collection over the share, and how to allow it. */
function refusalLine(over: readonly DeleteShare[], maxShare: number): string {
  const percent = (value: number): string => `${Math.round(value * 1000) / 10}%`;
  const what = over.map((share) => `${share.gone} of ${share.total} ${share.collection} (${percent(share.gone / share.total)})`).join(', ');
  return `DELETE_MISSING refused, nothing was deleted: it would delete ${what}, more than the ${percent(maxShare)} of a collection allowed (the profile's runOptions.deleteMissingMaxShare); check that FiberPlan is complete, or allow it for one run with DELETE_MISSING_MAX=<share from 0 to 1>`;
}
