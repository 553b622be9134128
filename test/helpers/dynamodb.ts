import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, TABLE_KEYS } from '../../src/ledger/tables.ts';
import { closeLevelIteratorsOnReturn } from '../../tooling/local/level-iterators.ts';

/** An in-memory dynalite with the engine's three tables, for one test file. */
export interface TestTables {
  db: DynamoDBDocumentClient;
  names: Record<keyof typeof TABLE_KEYS, string>;
  close(): Promise<void>;
}

/** Starts dynalite on a free port and creates the ledger, runs and rate-limit tables. */
export async function startTestTables(): Promise<TestTables> {
  closeLevelIteratorsOnReturn();
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const names = { ledger: 'test-ledger', runs: 'test-runs', rateLimits: 'test-rate-limits' };
  for (const kind of Object.keys(names) as (keyof typeof names)[]) {
    await client.send(new CreateTableCommand(createTableInput(kind, names[kind])));
    // Created asynchronously, as in DynamoDB: wait until it is ACTIVE.
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: names[kind] });
  }
  return {
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    names,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
