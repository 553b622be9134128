import type { Context } from 'aws-lambda';
import { InvalidInputError } from '../../src/domain/errors.ts';
import type { Collection } from '../../src/domain/types.ts';
import { getEngine, preload } from '../../src/handler/engine.ts';
import { logger } from '../../src/handler/logger.ts';
import { withOutageErrors } from '../../src/handler/outage-errors.ts';
import { fieldsParser } from '../../src/handler/parse-event.ts';
import { MissingRemover, type RemovalStep } from '../../src/pipeline/missing-remover.ts';

// Loaded during init, not on the first invocation.
preload('target');

/** Input: the run, one collection (never `work-order-updates`: a work order's update goes with it) and the run's target rate. */
const parse = fieldsParser('delete-missing', ['customer', 'runId', 'collection', 'targetRps']);

/** Stops this long before the Lambda's timeout, leaving time to answer where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation deletes: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

let remover: MissingRemover | undefined;

/**
 * DELETE_MISSING of one collection: deletes from FiberConnect what this run
 * found gone from FiberPlan (If-Match; 412 and has_children keep it) and
 * answers whether it is done; the workflow calls it again until it is.
 */
export const handler = async (event: unknown, context?: Context): Promise<RemovalStep> => {
  const { customer, runId, collection, targetRps } = parse(event);
  if (collection === 'work-order-updates')
    throw new InvalidInputError('delete-missing: work-order-updates are removed with their work orders', { input: 'collection', issue: collection });
  const engine = getEngine();
  remover ??= new MissingRemover({ ledger: engine.ledger, runs: engine.runs, targetClient: (name, rate) => engine.controlClient(name, rate) });
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  const step = await withOutageErrors(() =>
    remover!.remove({ customer, runId, collection: collection as Exclude<Collection, 'work-order-updates'>, targetRps }, deadline),
  );
  logger.info('records gone from the source removed', { customer, collection, ...step });
  return step;
};
