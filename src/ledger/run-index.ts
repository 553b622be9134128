import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../domain/index.ts';
import { RUN_INDEX } from './constants.ts';
import { inExternalRefOrder, runPartition } from './keys.ts';

/**
 * Every item a run wrote last for one collection in the by-run index, page
 * by page: the key of each of the run's sub-projects in turn, so in
 * externalRef order (a migration's entries, a rollback's outcomes).
 */
export async function* runIndexItems<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  runId: string,
  collection: Collection,
  databases: readonly string[],
): AsyncGenerator<T> {
  for (const database of inExternalRefOrder(databases)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: RUN_INDEX,
          KeyConditionExpression: 'runCollection = :rc',
          ExpressionAttributeValues: { ':rc': runPartition(runId, collection, database) },
          ExclusiveStartKey: startKey,
        }),
      );
      yield* (page.Items ?? []) as T[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
