import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Every item of one partition of a table, page by page, read consistently
 * (what the engine wrote a moment ago is in it). Items stream: a partition of
 * any size is never held in memory whole.
 *
 * @example
 * ```ts
 * for await (const item of itemsOfPartition(db, runsTable, progressPartition('acme', runId))) count(item);
 * ```
 */
export async function* itemsOfPartition(db: DynamoDBDocumentClient, tableName: string, pk: string): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
