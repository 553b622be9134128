import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { FAKE_CREDENTIALS, LOCAL_REGION, SQS_EVENT_SOURCE } from './constants.ts';
import { InvalidInputError } from '../../src/domain/index.ts';
import type { RunTimeline } from './timeline.ts';
import type { EventSourceMapping, EventSourcePollerOptions, LambdaInvoker, PollerLogger } from './types.ts';

/** A mapping with its defaults filled in and its queue looked up. */
interface ActiveMapping extends Required<EventSourceMapping> {
  queueArn: string;
}

/** DeleteMessageBatch's limit. */
const DELETE_BATCH = 10;

function toMessageAttributes(attributes: Record<string, MessageAttributeValue> = {}): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
        dataType: value.DataType ?? 'String',
      },
    ]),
  );
}

/** One SQS message as Lambda puts it in an event's Records. */
function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    // ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp; FIFO adds MessageGroupId, MessageDeduplicationId, SequenceNumber.
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes: toMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The message ids the function reported as failed, or undefined when the
 * whole batch counts as failed. Lambda's rules: no response, or no or an
 * empty `batchItemFailures`, is full success; an item without a known
 * message id makes the response invalid, which fails the whole batch.
 */
function reportedFailures(payload: unknown, messageIds: Set<string>): Set<string> | undefined {
  const failures = (payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set<string>();
  for (const failure of failures as Array<{ itemIdentifier?: unknown } | null>) {
    const id = failure?.itemIdentifier;
    if (typeof id !== 'string' || !messageIds.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

/**
 * Emulates Lambda's SQS event source mappings: per mapping, up to
 * `maximumConcurrency` pollers each receive a batch (long poll, all
 * attributes), invoke the function with the SQS event Lambda would build,
 * and delete what succeeded. With ReportBatchItemFailures, the reported
 * messages stay on the queue and come back after the visibility timeout; a
 * function error fails the whole batch. The queue's RedrivePolicy moves a
 * message to its DLQ after maxReceiveCount receives (fauxqs does that on
 * receive, as SQS does).
 *
 * @example
 * const poller = new SqsEventSourcePoller({ sqsEndpoint, invoker: lambdaEndpoint, mappings: [{ queueUrl, functionName: 'consumer', batchSize: 10, maximumConcurrency: 5 }] });
 * await poller.start();
 * await poller.stop(); // waits for invocations in flight
 */
export class SqsEventSourcePoller {
  readonly #sqs: SQSClient;
  readonly #invoker: LambdaInvoker;
  readonly #mappings: EventSourceMapping[];
  readonly #region: string;
  readonly #waitTimeSeconds: number;
  readonly #batchWindowMs: number;
  readonly #logger: PollerLogger;
  readonly #timeline: RunTimeline | undefined;
  #pollers: Array<Promise<void>> = [];
  #starting: Promise<ActiveMapping[]> | undefined;
  #stopping = false;

  public constructor(options: EventSourcePollerOptions) {
    this.#region = options.region ?? LOCAL_REGION;
    this.#sqs = new SQSClient({ endpoint: options.sqsEndpoint, region: this.#region, credentials: FAKE_CREDENTIALS });
    this.#invoker = options.invoker;
    this.#mappings = options.mappings;
    this.#waitTimeSeconds = options.waitTimeSeconds ?? SQS_EVENT_SOURCE.defaultWaitTimeSeconds;
    this.#batchWindowMs = options.batchWindowMs ?? SQS_EVENT_SOURCE.defaultBatchWindowMs;
    this.#logger = options.logger ?? console;
    this.#timeline = options.timeline;
  }

  /**
   * Checks every mapping as CreateEventSourceMapping would (batch size,
   * maximum concurrency, queue visibility timeout not below the function's
   * timeout), then starts polling.
   *
   * @throws InvalidInputError for a mapping Lambda would refuse
   */
  public async start(): Promise<void> {
    if (this.#pollers.length > 0) return;
    this.#stopping = false;
    this.#starting = Promise.all(this.#mappings.map((mapping) => this.#activate(mapping)));
    const active = await this.#starting;
    // Stopped while the mappings were checked: nothing starts polling.
    if (this.#stopping) return;
    this.#pollers = active.flatMap((mapping) => Array.from({ length: mapping.maximumConcurrency }, () => this.#poll(mapping)));
  }

  /** Stops receiving and waits until every batch in flight is invoked and settled. */
  public async stop(): Promise<void> {
    this.#stopping = true;
    // A start still checking its mappings must end before the caller closes what they talk to.
    await this.#starting?.catch(() => undefined);
    await Promise.all(this.#pollers);
    this.#pollers = [];
  }

  async #activate(mapping: EventSourceMapping): Promise<ActiveMapping> {
    const batchSize = mapping.batchSize ?? SQS_EVENT_SOURCE.defaultBatchSize;
    const maximumConcurrency = mapping.maximumConcurrency ?? SQS_EVENT_SOURCE.defaultMaximumConcurrency;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > SQS_EVENT_SOURCE.maxBatchSize) {
      throw new InvalidInputError(`batchSize must be 1–${SQS_EVENT_SOURCE.maxBatchSize}, got ${batchSize}`, { input: 'batchSize', issue: 'out of range' });
    }
    if (!Number.isInteger(maximumConcurrency) || maximumConcurrency < SQS_EVENT_SOURCE.minMaximumConcurrency) {
      throw new InvalidInputError(`maximumConcurrency must be at least ${SQS_EVENT_SOURCE.minMaximumConcurrency}, got ${maximumConcurrency}`, {
        input: 'maximumConcurrency',
        issue: 'out of range',
      });
    }
    const { Attributes: attributes = {} } = await this.#sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: mapping.queueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }),
    );
    const visibilityTimeout = Number(attributes.VisibilityTimeout);
    const functionTimeout = this.#invoker.timeoutSecondsOf?.(mapping.functionName);
    if (functionTimeout !== undefined && visibilityTimeout < functionTimeout) {
      throw new InvalidInputError(`Queue visibility timeout: ${visibilityTimeout} seconds is less than Function timeout: ${functionTimeout} seconds`, {
        input: mapping.queueUrl,
        issue: 'visibility timeout below function timeout',
      });
    }
    return { ...mapping, batchSize, maximumConcurrency, reportBatchItemFailures: mapping.reportBatchItemFailures ?? true, queueArn: attributes.QueueArn ?? '' };
  }

  async #poll(mapping: ActiveMapping): Promise<void> {
    while (!this.#stopping) {
      let messages: Message[];
      try {
        messages = await this.#receiveBatch(mapping);
      } catch (error) {
        this.#logger.error('event source: ReceiveMessage failed', { queueUrl: mapping.queueUrl, error: String(error) });
        await sleep(SQS_EVENT_SOURCE.errorBackoffMs);
        continue;
      }
      // A batch once received is always invoked, also while stopping: it would otherwise stay invisible.
      if (messages.length > 0) await this.#process(mapping, messages);
    }
  }

  /**
   * One batch of up to batchSize messages. fauxqs answers a FIFO
   * ReceiveMessage with at most ONE message per message group (SQS gives up
   * to 10 from one group), so a single receive rarely fills a batch: after
   * the first (long-polled) answer, receive again without waiting until the
   * batch is full, an answer comes back empty or the batching window ends.
   * This fills batches across message groups and with late arrivals. It
   * cannot add a second message of a group already in the batch: fauxqs
   * locks a group while one of its messages is in flight (measured), so
   * locally a FIFO batch holds one message per group, where SQS could give
   * several; concurrency per group is the same (one batch at a time).
   */
  async #receiveBatch(mapping: ActiveMapping): Promise<Message[]> {
    const batch = await this.#receive(mapping, mapping.batchSize, this.#waitTimeSeconds);
    const windowEnds = Date.now() + this.#batchWindowMs;
    while (batch.length > 0 && batch.length < mapping.batchSize && Date.now() < windowEnds) {
      const more = await this.#receive(mapping, mapping.batchSize - batch.length, 0);
      if (more.length === 0) break;
      batch.push(...more);
    }
    return batch;
  }

  async #receive(mapping: ActiveMapping, count: number, waitTimeSeconds: number): Promise<Message[]> {
    const answer = await this.#sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: mapping.queueUrl,
        MaxNumberOfMessages: count,
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return answer.Messages ?? [];
  }

  async #process(mapping: ActiveMapping, messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, mapping.queueArn, this.#region)) };
    const now = Date.now();
    const queue = (mapping.queueUrl.split('/').at(-1) ?? mapping.queueUrl).replace(/^.*-local-/, '');
    for (const record of event.Records) this.#timeline?.record('queue', queue, Number(record.attributes.SentTimestamp), now);
    let failed: Set<string> | undefined;
    try {
      const result = await this.#invoker.invoke(mapping.functionName, event);
      if (result.functionError) {
        this.#logger.warn('event source: function failed, the batch returns after the visibility timeout', {
          functionName: mapping.functionName,
          error: result.payload,
        });
        return;
      }
      failed = mapping.reportBatchItemFailures ? reportedFailures(result.payload, new Set(event.Records.map((record) => record.messageId))) : new Set();
    } catch (error) {
      this.#logger.error('event source: invocation failed', { functionName: mapping.functionName, error: String(error) });
      return;
    }
    if (!failed) {
      this.#logger.warn('event source: invalid batchItemFailures, the whole batch failed', { functionName: mapping.functionName });
      return;
    }
    await this.#delete(
      mapping,
      messages.filter((message) => !failed.has(message.MessageId ?? '')),
    );
  }

  async #delete(mapping: ActiveMapping, messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += DELETE_BATCH) {
      const entries = messages.slice(start, start + DELETE_BATCH).map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' }));
      try {
        const answer = await this.#sqs.send(new DeleteMessageBatchCommand({ QueueUrl: mapping.queueUrl, Entries: entries }));
        if (answer.Failed?.length) this.#logger.warn('event source: some messages could not be deleted', { queueUrl: mapping.queueUrl, failed: answer.Failed });
      } catch (error) {
        this.#logger.error('event source: DeleteMessageBatch failed', { queueUrl: mapping.queueUrl, error: String(error) });
      }
    }
  }
}
