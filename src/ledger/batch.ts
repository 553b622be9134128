import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_GET_LIMIT, BATCH_WRITE_LIMIT, MAX_UNPROCESSED_BACKOFF_MS, UNPROCESSED_BACKOFF_MS } from './constants.ts';

/*
 * DynamoDB's batch calls, whole: BatchGetItem and BatchWriteItem take at most
 * 100 keys and 25 items a call, and either may leave part of a call
 * unprocessed (throttling) without an error. These send every chunk and send
 * a call's unprocessed part again, after a growing pause, until none is left.
 */

/** A bulk read or write: how many batch calls go out at once (default 1, one after the other). */
export interface BatchOptions {
  concurrency?: number;
}

/** The pause before sending a call's unprocessed part again for the `attempt`th time (1, 2, ...): 50 ms, doubling, at most 1 s. */
export function unprocessedBackoffMs(attempt: number): number {
  return Math.min(MAX_UNPROCESSED_BACKOFF_MS, UNPROCESSED_BACKOFF_MS * 2 ** attempt);
}

/** `items` in chunks of `size` (the last one shorter), in order. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` on each chunk, `concurrency` chunks at once. */
async function eachChunk<T>(items: readonly T[], size: number, options: BatchOptions, work: (chunk: T[]) => Promise<void>): Promise<void> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const all = chunks(items, size);
  for (let i = 0; i < all.length; i += concurrency) await Promise.all(all.slice(i, i + concurrency).map(work));
}

/**
 * Reads the items of `keys` from one table with consistent reads, 100 keys a
 * BatchGetItem; a key with no item is left out. The items come in no
 * particular order.
 */
export async function batchGetAll<Item = Record<string, unknown>>(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly object[],
  options: BatchOptions = {},
): Promise<Item[]> {
  const found: Item[] = [];
  await eachChunk(keys, BATCH_GET_LIMIT, options, async (chunk) => {
    let pending = chunk as Record<string, unknown>[] | undefined;
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(unprocessedBackoffMs(attempt));
      const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...((result.Responses?.[tableName] ?? []) as Item[]));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  });
  return found;
}

/** Puts whole items into one table, 25 a BatchWriteItem (an item with the key of one there replaces it). */
export async function batchPutAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchOptions = {},
): Promise<void> {
  await eachChunk(items, BATCH_WRITE_LIMIT, options, async (chunk) => {
    let pending: Record<string, unknown>[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(unprocessedBackoffMs(attempt));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  });
}
