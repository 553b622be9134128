import type { Context } from 'aws-lambda';
import { COLLECTIONS } from '../../src/domain/constants.ts';
import { getEngine } from '../../src/handler/engine.ts';
import { CUSTOMER_SCHEMA, eventParser } from '../../src/handler/parse-event.ts';
import { logger } from '../../src/handler/logger.ts';
import { Producer, type ProducerScope } from '../../src/pipeline/producer.ts';
import type { IdRange, PageState } from '../../src/pipeline/types.ts';
import { connectionLossCode, LegacyDbUnreachableError } from '../../src/source/errors.ts';

/** Input: `plan` cuts a table into id ranges; `produce` queues pages of one range from where it stopped. */
export type ProducerEvent = ProducerScope & ({ action: 'plan' } | { action: 'produce'; range: IdRange; page: PageState });

const parse = eventParser<ProducerEvent>('producer', {
  type: 'object',
  required: ['action', 'customer', 'runId', 'database', 'collection', 'options'],
  properties: {
    action: { enum: ['plan', 'produce'] },
    customer: CUSTOMER_SCHEMA,
    runId: { type: 'string', minLength: 1 },
    database: { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' },
    collection: { enum: [...COLLECTIONS] },
    options: { type: 'object', required: ['sourceBatchSize', 'producers', 'sourceRps', 'messageGroups', 'recordsPerMessage'] },
    range: { type: 'object', required: ['id', 'afterId', 'lastId'] },
    page: { type: 'object', required: ['done'] },
  },
});

/** Stops producing this long before the Lambda's timeout, leaving time to report where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation produces, however long the Lambda may run: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

let producer: Producer | undefined;

async function getProducer(): Promise<Producer> {
  if (producer) return producer;
  const engine = getEngine();
  const legacy = await engine.legacy();
  producer = new Producer({
    sourcePool: (database) => legacy.pool(database),
    registry: legacy.registry,
    ledger: engine.ledger,
    runs: engine.runs,
    store: engine.store,
    sqs: engine.sqs,
    queueUrl: (collection) => engine.env.queueUrls[collection],
    sourceLimiter: (customer, rate) => engine.limiter(customer, 'source', rate),
  });
  return producer;
}

/** Plans or produces; connection failures become LegacyDbUnreachableError, which the state machine retries. */
export const handler = async (event: unknown, context?: Context): Promise<{ ranges: IdRange[] } | PageState> => {
  const input = parse(event);
  try {
    const instance = await getProducer();
    if (input.action === 'plan') {
      const plan = await instance.plan(input);
      logger.info('ranges planned', { collection: input.collection, database: input.database, ranges: plan.ranges.length });
      return plan;
    }
    const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
    const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
    const page = await instance.produce(input, input.range, input.page, deadline);
    logger.info('range produced', { collection: input.collection, database: input.database, range: input.range.id, ...page });
    return page;
  } catch (error) {
    // Every way of losing the connection, also wrapped in a cause, so the state machine's Retry applies.
    const code = connectionLossCode(error);
    if (code) throw new LegacyDbUnreachableError(`legacy database unreachable (${code})`, { address: input.database, cause: code }, { cause: error });
    throw error;
  }
};
