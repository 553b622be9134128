import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/index.ts';
import {
  batchGetAll,
  batchPutAll,
  itemsOfPartition,
  type RunWorkPartition,
  verifyFiguresKey,
  verifyFiguresPartition,
  verifyListPartition,
  verifySeenPartition,
} from '../ledger/index.ts';
import type { PageFigures, StoredFigures, VerifyFinding, VerifyList } from './types.ts';

/** The step a page's figures come from. */
export type VerifyStep = 'target' | 'source' | 'ledger';

/**
 * A verification's working state in the run table, under partitions of its
 * own run (the ledger is only read): per page figures, the lists as they are
 * found (one item per record, sorted by externalRef, so verify.json streams
 * them in bounded memory), and the marks of ledger entries seen in the
 * target's listing, which is how `missing` is found without holding a
 * collection's ids in memory. Every write is keyed by what it is about
 * (page, record), so a retried step overwrites its own items, never adds.
 */
export class VerifyStore {
  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores one page's figures (overwrites a retried step's). */
  public async putFigures(
    customer: string,
    runId: string,
    step: VerifyStep,
    scope: { collection: Collection; database: string },
    pageKey: string,
    figures: PageFigures,
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...verifyFiguresKey(customer, runId, step, scope, pageKey), ...scope, ...figures },
      }),
    );
  }

  /** Every page's figures of a run, in no particular order. */
  public async *figures(customer: string, runId: string): AsyncGenerator<StoredFigures> {
    for await (const item of this.query(verifyFiguresPartition(customer, runId))) yield item as unknown as StoredFigures;
  }

  /** Adds records to one list of a collection. */
  public async addFindings(customer: string, runId: string, collection: Collection, list: VerifyList, findings: readonly VerifyFinding[]): Promise<void> {
    const pk = verifyListPartition(customer, runId, collection, list);
    await batchPutAll(
      this.db,
      this.tableName,
      findings.map(({ externalRef, targetId }) => ({ pk, sk: externalRef, targetId })),
    );
  }

  /** One list of a collection, in externalRef order. */
  public async *findings(customer: string, runId: string, collection: Collection, list: VerifyList): AsyncGenerator<VerifyFinding> {
    for await (const item of this.query(verifyListPartition(customer, runId, collection, list)))
      yield { externalRef: String(item.sk), targetId: String(item.targetId) };
  }

  /** Marks ledger entries of a collection as found in FiberConnect under their target id. */
  public async markSeen(customer: string, runId: string, collection: Collection, externalRefs: readonly string[]): Promise<void> {
    const pk = verifySeenPartition(customer, runId, collection);
    await batchPutAll(
      this.db,
      this.tableName,
      externalRefs.map((externalRef) => ({ pk, sk: externalRef })),
    );
  }

  /** Which of `externalRefs` were marked seen. */
  public async seen(customer: string, runId: string, collection: Collection, externalRefs: readonly string[]): Promise<Set<string>> {
    const pk = verifySeenPartition(customer, runId, collection);
    const items = await batchGetAll(
      this.db,
      this.tableName,
      [...new Set(externalRefs)].map((sk) => ({ pk, sk })),
    );
    return new Set(items.map((item) => String(item.sk)));
  }

  private query(pk: RunWorkPartition): AsyncGenerator<Record<string, unknown>> {
    return itemsOfPartition(this.db, this.tableName, pk);
  }
}
