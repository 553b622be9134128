import type { SettledCounters } from '../ledger/index.ts';
import type { PipelineRuns, TargetSender } from '../pipeline/index.ts';
import type { TargetRequest } from '../target/index.ts';
import type { EngineMetrics } from './metrics.ts';

/*
 * The consumer's ports, wrapped so that what passes through them is counted
 * as metrics: the handler meters the engine from outside, and the pipeline
 * knows nothing of metrics.
 */

/**
 * The run table as the consumer writes it, whose outcome counts are also
 * counted as metrics once the live counters took them. Counting there, not
 * from `Consumer.deliver`'s result, keeps the outcomes of a delivery that
 * throws for the records it leaves to the next one (the result is lost with
 * the throw, the counters have them), so the metrics add up as the counters
 * do, and they are written as soon as the counters took them. A dry run's
 * outcomes are left out: nothing of it reached FiberConnect.
 *
 * @example
 * ```ts
 * new Consumer({ ...deps, runs: meteredRuns(engine.runs, metrics, (runId) => dryRuns.has(runId)) });
 * ```
 */
export function meteredRuns(runs: PipelineRuns, metrics: EngineMetrics, isDryRun: (runId: string) => boolean): PipelineRuns {
  const addOutcomes: PipelineRuns['addOutcomes'] = async (customer, runId, collection, counts, database) => {
    await runs.addOutcomes(customer, runId, collection, counts, database);
    if (isDryRun(runId)) return;
    metrics.countRecords({ customer, collection, runId }, counts);
    // Written at once: an invocation that times out later (its last publish never runs) must not lose what the counters took.
    metrics.publish();
  };
  // Every other method of the port passes through as it is (the port grows with the engine; only addOutcomes is metered).
  return new Proxy(runs, {
    get(target, name) {
      if (name === 'addOutcomes') return addOutcomes;
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A FiberConnect client of one customer whose every request is counted,
 * and every 429 answer; a request that got no answer (a timeout, a dropped
 * connection) counts as sent.
 *
 * @example
 * ```ts
 * targetClient: async (customer, timeoutMs) => meteredSender(await targetClientFor(customer, { timeoutMs }), customer, metrics),
 * ```
 */
export function meteredSender(sender: TargetSender, customer: string, metrics: EngineMetrics): TargetSender {
  return {
    async send<TBody = unknown>(request: TargetRequest) {
      try {
        const response = await sender.send<TBody>(request);
        metrics.countTargetRequest(customer, response.status);
        return response;
      } catch (error) {
        metrics.countTargetRequest(customer);
        throw error;
      }
    },
  };
}

/** The run whose report set its live counters to the ledger. */
export interface SettledRun {
  customer: string;
  runId: string;
  /** A dry run's outcomes are never counted (nothing of it reached FiberConnect). */
  dryRun: boolean;
}

/**
 * Counts what a report's recount added to a run's live counters: the
 * outcomes of a delivery that stopped between its ledger writes and its
 * counters (a consumer that timed out) were never counted as metrics
 * either, so with this the metrics of a run add up to its report. Counters
 * over the ledger (a record counted twice) count as a negative difference,
 * which CloudWatch sums like any other (but failures: see
 * {@link EngineMetrics.countRecords}).
 *
 * @example
 * ```ts
 * const { settled, dryRun, ...written } = await getRunLifecycle().report(event);
 * meterSettled(metrics, { customer: event.customer, runId: event.runId, dryRun }, settled);
 * ```
 */
export function meterSettled(metrics: EngineMetrics, { customer, runId, dryRun }: SettledRun, settled: readonly SettledCounters[]): void {
  if (dryRun) return;
  for (const { collection, live, ledger } of settled) {
    metrics.countRecords(
      { customer, collection, runId },
      {
        migrated: ledger.migrated - live.migrated,
        updated: ledger.updated - live.updated,
        failed: ledger.failed - live.failed,
        skipped: ledger.skipped - live.skipped,
      },
    );
  }
  metrics.publish();
}
