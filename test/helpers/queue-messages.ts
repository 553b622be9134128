/** Factories of queue messages and queued records, as a producer sends them. */
import type { Collection } from '../../src/domain/types.ts';
import type { QueueMessage, QueuedRecord } from '../../src/pipeline/types.ts';
import { DATABASE } from './mapping-context.ts';

export const CUSTOMER = 'demo';
export const RUN_ID = 'run-1';

/** The externalRef of a legacy row of this database. */
export function refOf(table: string, id: number): string {
  return `${DATABASE}:${table}:${id}`;
}

/** A row on its way to the consumer; the checksum is irrelevant to the consumer. */
export function aQueuedRecord(table: string, row: Record<string, unknown>): QueuedRecord {
  return { externalRef: refOf(table, Number(row.id)), checksum: `checksum-${String(row.id)}`, row };
}

/** A message of one collection in run `run-1` of customer `demo`. */
export function aQueueMessage(collection: Collection, records: QueuedRecord[], overrides: Partial<QueueMessage> = {}): QueueMessage {
  return {
    v: 1,
    customer: CUSTOMER,
    runId: RUN_ID,
    collection,
    database: DATABASE,
    migrateCompletedProjects: false,
    maxAttempts: 3,
    targetRps: 50,
    requestTimeoutSeconds: 10,
    settings: {},
    records,
    ...overrides,
  };
}
