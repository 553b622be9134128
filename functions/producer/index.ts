import type { Context } from 'aws-lambda';
import { InvalidInputError } from '../../src/domain/index.ts';
import { EngineMetrics, fieldsParser, getEngine, logger, preload, withOutageErrors } from '../../src/handler/index.ts';
import { type IdRange, type PageState, Producer, type ProducerScope, type RunSettings } from '../../src/pipeline/index.ts';
import { queueDepth } from '../../src/queue/index.ts';

// Loaded during init, not on the first invocation.
preload('legacy');

/**
 * Input: `plan` cuts a table into id ranges; `produce` queues pages of one
 * range from where it stopped. `options` are the run's settings as configure
 * filled them.
 */
const parse = fieldsParser('producer', ['action', 'customer', 'runId', 'database', 'collection', 'options'], ['range', 'page'], {
  options: { type: 'object', required: ['sourceBatchSize', 'producers', 'sourceRps', 'messageGroups', 'recordsPerMessage'] },
});

/** Stops producing this long before the Lambda's timeout, leaving time to report where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation produces, however long the Lambda may run: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

/** The source rate in force (the pace of reading FiberPlan), written as an EMF line when an invocation ends. */
const metrics = new EngineMetrics();

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
    queueDepth: (collection) => queueDepth(engine.sqs, engine.env.queueUrls[collection]),
    sourceLimiter: (customer, rate) => {
      metrics.notePace(customer, 'source', rate);
      return engine.limiter(customer, 'source', rate);
    },
  });
  return producer;
}

/** A produce step's range and cursor, which the schema cannot demand of `produce` alone. */
function produceStep(range?: IdRange, page?: PageState): { range: IdRange; page: PageState } {
  if (!range || !page) throw new InvalidInputError('invalid producer event: produce needs range and page', { input: 'producer', issue: 'range and page' });
  return { range, page };
}

/** Plans or produces; connection failures become LegacyDbUnreachableError, which the state machine retries. */
export const handler = async (event: unknown, context?: Context): Promise<{ ranges: IdRange[] } | PageState> => {
  const { action, range, page, ...fields } = parse(event);
  // The options schema checks the settings configure fills; their values come from its validated profile.
  const scope: ProducerScope = { ...fields, options: fields.options as unknown as RunSettings };
  const step = action === 'produce' ? produceStep(range, page) : undefined;
  try {
    return await produceOrPlan(scope, step, context);
  } finally {
    metrics.publish();
  }
};

/** Plans the ranges (no step) or produces pages of one (a step). */
function produceOrPlan(
  scope: ProducerScope,
  step: { range: IdRange; page: PageState } | undefined,
  context?: Context,
): Promise<{ ranges: IdRange[] } | PageState> {
  return withOutageErrors(async () => {
    const instance = await getProducer();
    if (!step) {
      const plan = await instance.plan(scope);
      logger.info('ranges planned', { collection: scope.collection, database: scope.database, ranges: plan.ranges.length });
      return plan;
    }
    const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
    const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
    const produced = await instance.produce(scope, step.range, step.page, deadline);
    logger.info('range produced', { collection: scope.collection, database: scope.database, range: step.range.id, ...produced });
    return produced;
  }, scope.database);
}
