import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { getCustomerProfile } from '../../src/profile/parameter-store/index.ts';
import { EngineMetrics, getEngine, logger, meteredRuns, meteredSender } from '../../src/handler/index.ts';
import { withDeadLetterCopies } from '../../src/queue/index.ts';
import { Consumer, MalformedMessageError, parseQueueBody, type QueueMessage, type RemovalMessage } from '../../src/pipeline/index.ts';
import { Remover } from '../../src/rollback/index.ts';
import { targetClientFor } from '../../src/target/client/index.ts';

/*
 * FIFO-aware partial batch processing: messages are handled one after the
 * other, and after a failure the rest of THAT message group fails too
 * (skipGroupOnError), so SQS redelivers them in order while other groups go on.
 * Order matters for equal addresses: the lower id must reach the target first.
 */
const processor = new SqsFifoPartialProcessorAsync();

/** Records, requests and the pace of each invocation, written as EMF lines when it ends. */
const metrics = new EngineMetrics();
/** Dry runs whose messages this instance handled: their outcomes are no migration's (meteredRuns leaves them out). */
const dryRuns = new Set<string>();

/** The customer's FiberConnect client, every request counted (a removal's too). */
const meteredClient = async (customer: string, timeoutMs: number) => meteredSender(await targetClientFor(customer, { timeoutMs }), customer, metrics);

/** The customer's shared target limiter; the rate it is given is the pace in force. */
function pacedLimiter(customer: string, rate: number) {
  metrics.notePace(customer, 'target', rate);
  return getEngine().limiter(customer, 'target', rate);
}

let consumer: Consumer | undefined;

function getConsumer(): Consumer {
  if (consumer) return consumer;
  const engine = getEngine();
  consumer = new Consumer({
    ledger: engine.ledger,
    runs: meteredRuns(engine.runs, metrics, (runId) => dryRuns.has(runId)),
    store: engine.store,
    targetClient: meteredClient,
    targetLimiter: pacedLimiter,
    profile: getCustomerProfile,
    maxReceiveCount: engine.env.maxReceiveCount,
  });
  return consumer;
}

let remover: Remover | undefined;

/** A rollback's removals travel through the same collection queues, so they share the consumers, the target rate, the dead-letter queues and redrive. */
function getRemover(): Remover {
  if (remover) return remover;
  const engine = getEngine();
  remover = new Remover({
    ledger: engine.removals,
    runs: engine.runs,
    targetClient: meteredClient,
    targetLimiter: pacedLimiter,
    maxReceiveCount: engine.env.maxReceiveCount,
  });
  return remover;
}

/** Time kept back from the Lambda's timeout: no new target call starts in it. */
const SAFETY_MS = 3_000;
let deadline = Number.POSITIVE_INFINITY;

/** The message of an SQS record, checked against the queue-message schema; a malformed one is logged with its reason and fails (SQS dead-letters it after its deliveries). */
function messageOf(record: SQSRecord): QueueMessage | RemovalMessage {
  try {
    return parseQueueBody(record.body);
  } catch (error) {
    if (error instanceof MalformedMessageError)
      logger.error(error.message, { messageId: record.messageId, issues: error.context.issues, receiveCount: record.attributes.ApproximateReceiveCount });
    throw error;
  }
}

async function recordHandler(record: SQSRecord): Promise<void> {
  const body = messageOf(record);
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
  if ('kind' in body) {
    const removal = await getRemover().deliver(body, receiveCount, deadline);
    if (removal.stale)
      logger.info('dropped a removal message of an earlier rollback', { customer: body.customer, runId: body.runId, collection: body.collection });
    return;
  }
  const message = body as QueueMessage;
  if (message.dryRun === true) dryRuns.add(message.runId);
  const result = await getConsumer().deliver(message, receiveCount, deadline);
  if (result.stale)
    logger.info('dropped a message of an earlier run, or of a run stopped by a refused token', {
      customer: message.customer,
      runId: message.runId,
      collection: message.collection,
    });
}

/**
 * SQS event source handler with partial batch failure reporting; what fails
 * on its last delivery is also copied to the bucket (dead-letters/). The
 * invocation's metrics are written when it ends, however it ends.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  deadline = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS;
  const engine = getEngine();
  try {
    const { response, copied } = await withDeadLetterCopies(engine.store, event.Records, engine.env.maxReceiveCount, () =>
      processPartialResponse(event, recordHandler, processor, { context, skipGroupOnError: true }),
    );
    if (copied.length > 0) logger.warn('messages failed on their last delivery: copied before SQS dead-letters them', { keys: copied });
    return response;
  } finally {
    metrics.publish();
  }
};
