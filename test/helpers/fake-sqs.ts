/** An in-memory SQS for SendMessageBatch: keeps every message it was sent, decoded. */
import type { SendMessageBatchCommand, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import type { BatchSender, QueueMessage } from '../../src/pipeline/types.ts';

export interface SentMessage {
  queueUrl: string;
  groupId: string;
  deduplicationId: string;
  body: QueueMessage;
}

export class FakeSqs implements BatchSender {
  public readonly sent: SentMessage[] = [];

  public constructor(public readonly calls: string[] = []) {}

  public async send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput> {
    const { QueueUrl = '', Entries = [] } = command.input;
    this.calls.push(`send ${Entries.length}`);
    for (const entry of Entries) {
      this.sent.push({
        queueUrl: QueueUrl,
        groupId: entry.MessageGroupId ?? '',
        deduplicationId: entry.MessageDeduplicationId ?? '',
        body: JSON.parse(entry.MessageBody ?? '{}') as QueueMessage,
      });
    }
    return {
      Successful: Entries.map((entry) => ({ Id: entry.Id, MessageId: entry.Id, MD5OfMessageBody: '' })),
      Failed: [],
      $metadata: {},
    } as SendMessageBatchCommandOutput;
  }

  /** External refs of every record sent, in order. */
  public get records(): string[] {
    return this.sent.flatMap((message) => message.body.records.map((record) => record.externalRef));
  }
}
