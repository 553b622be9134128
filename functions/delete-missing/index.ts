import type { Context } from 'aws-lambda';
import { definitionOf } from '../../src/domain/collections/index.ts';
import { type Collection, InvalidInputError } from '../../src/domain/index.ts';
import { fieldsParser, getEngine, logger, preload, withOutageErrors } from '../../src/handler/index.ts';
import { type DeleteShare, MissingRemover, type RemovalStep } from '../../src/pipeline/index.ts';

// Loaded during init, not on the first invocation.
preload('target');

/** Input of a removal step: the run, one collection (never `work-order-updates`: a work order's update goes with it) and the run's target rate. */
const parseRemoval = fieldsParser('delete-missing', ['customer', 'runId', 'collection', 'targetRps']);
/** Input of the guard, before any removal: the run and the share of a collection it may delete. */
const parseCheck = fieldsParser('delete-missing', ['customer', 'runId', 'maxShare']);

/** Stops this long before the Lambda's timeout, leaving time to answer where it stopped. */
const SAFETY_MS = 20_000;
/** Most time one invocation deletes: keeps each step's retry cheap. */
const BUDGET_MS = 120_000;

let remover: MissingRemover | undefined;

function theRemover(): MissingRemover {
  const engine = getEngine();
  remover ??= new MissingRemover({ ledger: engine.ledger, runs: engine.runs, targetClient: (name, rate) => engine.controlClient(name, rate) });
  return remover;
}

/**
 * DELETE_MISSING. With `maxShare` (the guard, first): refuses with
 * DeleteMissingRefusedError, nothing deleted, when the run would delete more
 * than that share of a collection. Otherwise one collection's step: deletes
 * from FiberConnect what this run found gone from FiberPlan (If-Match; 412
 * and has_children keep it) and answers whether it is done; the workflow
 * calls it again until it is.
 */
export const handler = async (event: unknown, context?: Context): Promise<RemovalStep | { shares: DeleteShare[] }> => {
  if (typeof event === 'object' && event !== null && 'maxShare' in event) {
    const { customer, runId, maxShare } = parseCheck(event);
    const shares = await theRemover().checkShare({ customer, runId }, maxShare);
    logger.info('DELETE_MISSING within its share', { customer, runId, maxShare, shares });
    return { shares };
  }
  const { customer, runId, collection, targetRps } = parseRemoval(event);
  const whole = definitionOf(collection).partOf;
  if (whole) throw new InvalidInputError(`delete-missing: ${collection} are removed with their ${whole}`, { input: 'collection', issue: collection });
  const remaining = context?.getRemainingTimeInMillis?.() ?? BUDGET_MS + SAFETY_MS;
  const deadline = Date.now() + Math.min(BUDGET_MS, remaining - SAFETY_MS);
  const step = await withOutageErrors(() =>
    theRemover().remove({ customer, runId, collection: collection as Exclude<Collection, 'work-order-updates'>, targetRps }, deadline),
  );
  logger.info('records gone from the source removed', { customer, collection, ...step });
  return step;
};
