import type { Context } from 'aws-lambda';
import { fieldsParser, getEngine, logger } from '../../src/handler/index.ts';
import type { RemovableCollection, RunSettings } from '../../src/pipeline/index.ts';
import { type RemovalPage, RollbackProducer } from '../../src/rollback/index.ts';

/** Input: one collection of one sub-project of a rollback, and where its producer stopped (`{done: false}` at first). */
const parse = fieldsParser('rollback-producer', ['customer', 'runId', 'database', 'collection', 'options', 'removalPage'], [], {
  options: { type: 'object', required: ['sourceBatchSize', 'messageGroups', 'recordsPerMessage', 'maxAttempts', 'targetRps', 'requestTimeoutSeconds'] },
});

/** Stops producing this long before the Lambda's timeout, leaving time to report where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation produces, however long the Lambda may run: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

let producer: RollbackProducer | undefined;

function getProducer(): RollbackProducer {
  if (producer) return producer;
  const engine = getEngine();
  producer = new RollbackProducer({ ledger: engine.removals, runs: engine.runs, sqs: engine.sqs, queueUrl: (collection) => engine.env.queueUrls[collection] });
  return producer;
}

/** Queues removals of one sub-project's migrated records of a collection from where the last step stopped. */
export const handler = async (event: unknown, context?: Context): Promise<RemovalPage> => {
  const { removalPage, collection, options, ...fields } = parse(event);
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  const scope = { ...fields, collection: collection as RemovableCollection, options: options as unknown as RunSettings };
  const page = await getProducer().produce(scope, removalPage, deadline);
  logger.info('removals queued', { collection, database: fields.database, ...page });
  return page;
};
