import { EngineMetrics, fieldsParser, getEngine, logger } from '../../src/handler/index.ts';
import { checkDrain, type DrainState, messagesIn, queueDepth } from '../../src/queue/index.ts';
import { TargetRefusedError } from '../../src/target/index.ts';

/**
 * Input: the collection whose queue gates the dependent collections, what its
 * producers sent (absent means "look at the queue"), and where the wait stands.
 */
const parse = fieldsParser('drain-check', ['customer', 'runId', 'collection', 'drain', 'pollSeconds', 'timeoutSeconds'], ['produced', 'database'], {
  timeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
});

/** The queue's depth at each look, written as an EMF line. */
const metrics = new EngineMetrics();

/**
 * One look at the collection's queue and outcome counter; answers the wait's
 * next state (finished, timed out, or the seconds until the next look).
 * When this flow's producers sent nothing (everything was already migrated),
 * there is nothing of its own to wait for: `nothingQueued`. Fails with
 * {@link TargetRefusedError} once a consumer found the run's token refused.
 */
export const handler = async (event: unknown): Promise<DrainState> => {
  const { customer, runId, collection, produced, database, drain, pollSeconds, timeoutSeconds } = parse(event);
  const queued = produced?.reduce((sum, page) => sum + (page.queued ?? 0), 0);
  if (queued === 0) {
    const depth = { visible: 0, inFlight: 0, delayed: 0, drained: true };
    return { ...drain, looks: drain.looks + 1, waitSeconds: Math.ceil(pollSeconds), finished: true, timedOut: false, depth, nothingQueued: true };
  }
  const engine = getEngine();
  // A consumer found the token refused: no drained queue makes up for it. The run stops here and restores the target as after any failure.
  const refusal = await engine.runs.targetRefusal(customer, runId);
  if (refusal) throw new TargetRefusedError(refusal, { customer, runId });
  const state = await checkDrain(
    {
      depth: () => queueDepth(engine.sqs, engine.env.queueUrls[collection]),
      outcomes: () => engine.runs.outcomeCounts(customer, runId, collection, database),
      ...(queued !== undefined && database !== undefined ? { queued } : {}),
    },
    drain,
    { pollSeconds, timeoutSeconds },
  );
  logger.info('drain check', { collection, ...state });
  if (state.depth) {
    metrics.noteQueueDepth(collection, messagesIn(state.depth));
    metrics.publish();
  }
  return state;
};
