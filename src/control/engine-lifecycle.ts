import { getEngine, logger } from '../handler/index.ts';
import { getCustomerProfile } from '../profile/parameter-store/index.ts';
import { RunLock, type ExecutionProbe } from './run-lock.ts';
import { RunLifecycle } from './run-lifecycle.ts';

let lifecycle: RunLifecycle | undefined;

/**
 * Whether a lock's holder still runs, for a function that does not take
 * locks: only configure does (it passes the real probe), the others only
 * give their run's locks back, which asks nothing.
 */
const noProbe: ExecutionProbe = async () => {
  throw new Error('this function takes no run lock: only configure asks whether a holder still runs');
};

/**
 * The instance's run lifecycle on the engine's stores and clients, created on
 * first use (module scope, like the engine). `isRunning` tells a live run
 * lock from a stale one: configure gives it (Step Functions' DescribeExecution).
 *
 * @example
 * const sfn = stepFunctionsClient();
 * const run = await getRunLifecycle((arn) => executionRunning(sfn, arn)).configure(input); // configure: the only caller that takes locks
 * await getRunLifecycle().restoreEmail({ customer, runId, targetRps }); // any other step
 */
export function getRunLifecycle(isRunning: ExecutionProbe = noProbe): RunLifecycle {
  if (lifecycle) return lifecycle;
  const engine = getEngine();
  lifecycle = new RunLifecycle({
    runs: engine.runs,
    locks: new RunLock(engine.db, engine.env.runsTable, isRunning),
    ledger: engine.ledger,
    reports: engine.store,
    target: (customer, targetRps) => engine.controlClient(customer, targetRps),
    registry: async () => (await engine.legacy()).registry,
    profile: getCustomerProfile,
    clock: () => new Date(),
    logger,
  });
  return lifecycle;
}
