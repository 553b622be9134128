import { createHash } from 'node:crypto';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { BatchSender, QueuedRecord } from './types.ts';

/** Bytes of one message body at most: well under SQS's 256 KiB, leaving room for attributes. */
export const MAX_MESSAGE_BYTES = 200 * 1024;
/** Bytes of one SendMessageBatch at most (SQS: 256 KiB for the whole batch). */
export const MAX_BATCH_BYTES = 250 * 1024;
/** Entries of one SendMessageBatch at most. */
export const MAX_BATCH_ENTRIES = 10;

/** One message to send: its group, its records, and a deduplication id derived from them. */
export interface PackedMessage {
  groupId: string;
  records: QueuedRecord[];
}

/**
 * Packs records into messages: per message group, in the order given (id
 * order), at most `recordsPerMessage` records and {@link MAX_MESSAGE_BYTES}
 * bytes each. `envelopeBytes` is the size of the message around its records.
 */
export function packRecords(records: readonly { groupId: string; record: QueuedRecord }[], recordsPerMessage: number, envelopeBytes: number): PackedMessage[] {
  const open = new Map<string, { message: PackedMessage; bytes: number }>();
  const messages: PackedMessage[] = [];
  for (const { groupId, record } of records) {
    const bytes = encodeMessageBody(record).length + 1;
    let current = open.get(groupId);
    if (!current || current.message.records.length >= recordsPerMessage || current.bytes + bytes > MAX_MESSAGE_BYTES - envelopeBytes) {
      current = { message: { groupId, records: [] }, bytes: 0 };
      open.set(groupId, current);
      messages.push(current.message);
    }
    current.message.records.push(record);
    current.bytes += bytes;
  }
  return messages;
}

/** Splits message bodies into SendMessageBatch calls within SQS's entry and byte limits. */
export function batchesOf<T extends { body: string }>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.body);
    if (batch.length >= MAX_BATCH_ENTRIES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** A deduplication id that is the same when a retried producer sends the same records again in the same run. */
export function deduplicationId(runId: string, records: readonly QueuedRecord[]): string {
  const hash = createHash('sha256').update(runId);
  for (const record of records) hash.update(`\n${record.externalRef}\n${record.checksum}`);
  return hash.digest('hex');
}

/**
 * JSON text of a message body with every character outside printable ASCII
 * written as a `\uXXXX` escape. SQS refuses some Unicode in bodies (the local
 * emulator even refuses emoji); escaped, any text travels and JSON.parse gives
 * it back byte-exact.
 */
export function encodeMessageBody(message: unknown): string {
  return JSON.stringify(message).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A FIFO message ready to leave: its group, its deduplication id, its encoded body. */
export interface OutgoingMessage {
  groupId: string;
  deduplicationId: string;
  body: string;
}

/**
 * Sends messages to one FIFO queue in batches ({@link batchesOf}); throws when
 * SQS refuses any of them, so the step fails and is retried whole (the
 * messages that went are deduplicated by their ids). `what` names them in the
 * error (e.g. `removal message(s) for projects`).
 */
export async function sendMessages(sqs: BatchSender, queueUrl: string, messages: readonly OutgoingMessage[], what: string): Promise<void> {
  for (const batch of batchesOf(messages)) {
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) {
      throw new Error(`SQS refused ${result.Failed.length} ${what}: ${result.Failed.map((f) => f.Message ?? f.Code).join('; ')}`);
    }
  }
}
