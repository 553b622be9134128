import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection } from '../domain/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { RunStore } from '../ledger/run-store.ts';
import { TargetError } from '../target/errors.ts';
import { classifyRemoval, removalRequest } from '../target/removal.ts';
import type { TargetSender } from './types.ts';

/** What the remover needs from the outside; created once per warm instance. */
export interface MissingRemoverDependencies {
  ledger: Pick<Ledger, 'entriesOfRun' | 'recordRemoval'>;
  /** The run table: the run's sub-projects, whose by-run keys hold its entries. */
  runs: Pick<RunStore, 'getRun'>;
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
 */
export class MissingRemover {
  public constructor(private readonly deps: MissingRemoverDependencies) {}

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
    let message = '';
    for (let attempt = 1; attempt <= MAX_TRIES; attempt += 1) {
      try {
        const outcome = classifyRemoval(await client.send(request));
        if (outcome.status !== 'transient') return outcome;
        message = outcome.message;
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        message = error.message;
      }
      await sleep(Math.min(5_000, 200 * 2 ** attempt));
    }
    return { status: 'failed', message: `retries used up: ${message}` };
  }
}
