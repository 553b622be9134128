import { createHash } from 'node:crypto';
import type { RemovalLedger } from './removal-ledger.ts';
import type { RunStore } from '../ledger/index.ts';
import {
  type BatchSender,
  encodeMessageBody,
  type RemovableCollection,
  type RemovalMessage,
  type RemovalRecord,
  type RunSettings,
  sendMessages,
} from '../pipeline/index.ts';
import type { RemovalPage } from './types.ts';

/** What one rollback producer step works on: one collection of one sub-project in one rollback. */
export interface RollbackScope {
  customer: string;
  /** The rollback's run id. */
  runId: string;
  database: string;
  collection: RemovableCollection;
  options: RunSettings;
}

/** What the rollback producer needs from the outside; created once per warm instance. */
export interface RollbackProducerDependencies {
  ledger: Pick<RemovalLedger, 'migratedPage' | 'recordOutcome'>;
  runs: Pick<RunStore, 'recordRange' | 'addRemovals'>;
  sqs: BatchSender;
  queueUrl(collection: RemovableCollection): string;
}

/**
 * The producer of a rollback: reads one sub-project's migrated entries of a
 * collection from the ledger in pages (a Query of the collection's partition
 * from where it stopped, never a scan) and queues their removal on the
 * collection's queue, spread over the run's message groups. What the engine
 * adopted was there before: it is listed kept (`adopted`) at once and never
 * queued. A retried step queues a page again under the same deduplication
 * ids; the removal consumer skips records that have an outcome in the run.
 *
 * @example
 * const producer = new RollbackProducer({ ledger: engine.removals, runs: engine.runs, sqs: engine.sqs, queueUrl: (c) => engine.env.queueUrls[c] });
 * const scope = { customer: 'acme', runId, database: 'fp_acme_north', collection: 'documents', options: settings } as const;
 * const page = await producer.produce(scope, { done: false }, Date.now() + 120_000); // again from `page` until page.done
 */
export class RollbackProducer {
  public constructor(private readonly deps: RollbackProducerDependencies) {}

  /** Produces pages until the sub-project's entries are read or `deadline` (ms since epoch) has passed; returns where it stopped. */
  public async produce(scope: RollbackScope, page: RemovalPage, deadline: number): Promise<RemovalPage> {
    let after = page.after;
    let queued = page.queued ?? 0;
    for (;;) {
      const { entries, next } = await this.deps.ledger.migratedPage(scope.customer, scope.collection, scope.database, scope.options.sourceBatchSize, after);
      const toRemove: RemovalRecord[] = [];
      let kept = 0;
      for (const entry of entries) {
        if (!entry.targetId) continue;
        if (entry.origin === 'adopted') {
          const outcome = {
            externalRef: entry.externalRef,
            targetId: entry.targetId,
            result: 'kept' as const,
            reason: 'adopted' as const,
            message: 'the record was in FiberConnect before the engine migrated it',
            database: scope.database,
            updatedAt: new Date().toISOString(),
          };
          if (await this.deps.ledger.recordOutcome(scope.runId, scope.customer, scope.collection, outcome)) kept += 1;
          continue;
        }
        toRemove.push({
          externalRef: entry.externalRef,
          targetId: entry.targetId,
          ...(entry.targetVersion !== undefined ? { targetVersion: entry.targetVersion } : {}),
        });
      }
      // Figures under a key of the page, SET whole: a retried step overwrites them instead of adding.
      await this.deps.runs.recordRange(scope.customer, scope.runId, scope.collection, `${scope.database}#${after ?? ''}`, {
        source: entries.length,
        alreadyMigrated: 0,
        queued: toRemove.length,
      });
      await this.deps.runs.addRemovals(scope.customer, scope.runId, scope.collection, { kept });
      await this.send(scope, toRemove);
      queued += toRemove.length;
      after = next;
      const done = next === undefined;
      if (done || Date.now() >= deadline) return { done, ...(after ? { after } : {}), queued };
    }
  }

  private async send(scope: RollbackScope, records: RemovalRecord[]): Promise<void> {
    if (records.length === 0) return;
    const groups = Math.max(1, scope.options.messageGroups);
    const messages: { groupId: string; records: RemovalRecord[] }[] = [];
    // Records of one message share a group; the groups let that many consumers remove side by side.
    for (let i = 0; i < records.length; i += scope.options.recordsPerMessage) {
      messages.push({ groupId: `${scope.database}:rollback:${messages.length % groups}`, records: records.slice(i, i + scope.options.recordsPerMessage) });
    }
    const bodies = messages.map((message) => {
      const body: RemovalMessage = {
        v: 1,
        kind: 'removal',
        customer: scope.customer,
        runId: scope.runId,
        collection: scope.collection,
        database: scope.database,
        maxAttempts: scope.options.maxAttempts,
        targetRps: scope.options.targetRps,
        requestTimeoutSeconds: scope.options.requestTimeoutSeconds,
        records: message.records,
      };
      const deduplicationId = createHash('sha256')
        .update(`${scope.runId}\nremoval`)
        .update(message.records.map((record) => record.externalRef).join('\n'))
        .digest('hex');
      return { groupId: message.groupId, deduplicationId, body: encodeMessageBody(body) };
    });
    await sendMessages(this.deps.sqs, this.deps.queueUrl(scope.collection), bodies, `removal message(s) for ${scope.collection}`);
  }
}
