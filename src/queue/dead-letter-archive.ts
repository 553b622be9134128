import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** Where dead letters are kept in the bucket: SQS keeps them 14 days at most, a cutover lasts longer. */
export const DEAD_LETTER_PREFIX = 'dead-letters';

/** Stores an object; the engine's ObjectStore. */
export interface DeadLetterStore {
  put(key: string, body: string, contentType?: string): Promise<string>;
}

/** The key of a message's copy: `dead-letters/<customer>/<runId>/<collection>/<messageId>.json` (parts it cannot read become `unknown`). */
export function deadLetterKey(record: Pick<SQSRecord, 'body' | 'messageId'>): string {
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(record.body) as Record<string, unknown>;
  } catch {
    // A body that is not JSON is kept all the same.
  }
  const part = (name: string) => (typeof fields[name] === 'string' && /^[A-Za-z0-9_.:-]+$/.test(fields[name]) ? fields[name] : 'unknown');
  return `${DEAD_LETTER_PREFIX}/${part('customer')}/${part('runId')}/${part('collection')}/${record.messageId}.json`;
}

/**
 * Processes a batch and copies what fails on its last delivery, whether the
 * processing reports partial failures or throws because every record failed
 * (Powertools' FullBatchFailureError, which SQS treats as the whole batch
 * failing): the error is thrown again after the copies.
 *
 * @example
 * return withDeadLetterCopies(engine.store, event.Records, engine.env.maxReceiveCount, () => processPartialResponse(event, recordHandler, processor));
 */
export async function withDeadLetterCopies(
  store: DeadLetterStore,
  records: readonly SQSRecord[],
  maxReceiveCount: number,
  process: () => Promise<SQSBatchResponse>,
): Promise<{ response: SQSBatchResponse; copied: string[] }> {
  let response: SQSBatchResponse;
  try {
    response = await process();
  } catch (error) {
    await archiveDeadLetters(store, records, { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) }, maxReceiveCount);
    throw error;
  }
  return { response, copied: await archiveDeadLetters(store, records, response, maxReceiveCount) };
}

/**
 * Copies to the bucket every message of a batch that failed on its last
 * delivery: SQS moves it to the dead-letter queue next, which keeps it 14
 * days at most. The copy is the message as received (body, attributes,
 * receive count), so it can be read or queued again after the queue dropped it.
 *
 * @example
 * const response = await processPartialResponse(event, recordHandler, processor);
 * await archiveDeadLetters(engine.store, event.Records, response, engine.env.maxReceiveCount);
 */
export async function archiveDeadLetters(
  store: DeadLetterStore,
  records: readonly SQSRecord[],
  response: SQSBatchResponse,
  maxReceiveCount: number,
): Promise<string[]> {
  const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  const last = records.filter((record) => failed.has(record.messageId) && Number(record.attributes.ApproximateReceiveCount ?? '1') >= maxReceiveCount);
  return Promise.all(
    last.map((record) =>
      store.put(
        deadLetterKey(record),
        JSON.stringify({ messageId: record.messageId, eventSourceARN: record.eventSourceARN, attributes: record.attributes, body: record.body }),
      ),
    ),
  );
}
