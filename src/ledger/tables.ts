import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { RUN_INDEX, SOURCE_ID_INDEX } from './constants.ts';

/**
 * Key schemas of the engine's DynamoDB tables, as the local runtime creates
 * them. terraform/modules/ledger declares the same keys for AWS; the static
 * checks compare the two, so they cannot drift apart.
 */
export const TABLE_KEYS = {
  /** One item per source record: pk `customer#collection`, sk externalRef; index by run, and by sub-project and numeric source id. */
  ledger: {
    hash: 'pk',
    range: 'externalRef',
    indexes: { [RUN_INDEX]: { hash: 'runCollection', range: 'externalRef' }, [SOURCE_ID_INDEX]: { hash: 'pk', range: 'sourceOrder' } },
  },
  /** Runs, latest-run pointers, producer range figures, consumer counters. */
  runs: { hash: 'pk', range: 'sk', indexes: {} },
  /** The shared rate limiters' slot counters. */
  rateLimits: { hash: 'pk', range: undefined, indexes: {} },
} as const;

/** CreateTable input of one table (on-demand billing, string keys). */
export function createTableInput(kind: keyof typeof TABLE_KEYS, tableName: string): CreateTableCommandInput {
  const keys = TABLE_KEYS[kind];
  const attributes = new Set<string>([keys.hash, ...(keys.range ? [keys.range] : [])]);
  const indexes = Object.entries(keys.indexes as Record<string, { hash: string; range: string }>);
  for (const [, index] of indexes) {
    attributes.add(index.hash);
    attributes.add(index.range);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: keys.hash, KeyType: 'HASH' }, ...(keys.range ? [{ AttributeName: keys.range, KeyType: 'RANGE' as const }] : [])],
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
            IndexName: name,
            KeySchema: [
              { AttributeName: index.hash, KeyType: 'HASH' as const },
              { AttributeName: index.range, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
