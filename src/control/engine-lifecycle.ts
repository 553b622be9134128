import { getEngine } from '../handler/engine.ts';
import { logger } from '../handler/logger.ts';
import { getCustomerProfile } from '../profile/parameters.ts';
import { RunLifecycle } from './run-lifecycle.ts';

let lifecycle: RunLifecycle | undefined;

/** The instance's run lifecycle on the engine's stores and clients, created on first use (module scope, like the engine). */
export function getRunLifecycle(): RunLifecycle {
  if (lifecycle) return lifecycle;
  const engine = getEngine();
  lifecycle = new RunLifecycle({
    runs: engine.runs,
    locks: engine.locks,
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
