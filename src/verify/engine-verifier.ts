import { getEngine } from '../handler/index.ts';
import { getCustomerProfile } from '../profile/parameter-store/index.ts';
import { Verifier } from './verifier.ts';
import { VerifyReportWriter } from './verify-report-writer.ts';
import { VerifyStore } from './verify-store.ts';

let instance: { verifier: Verifier; reports: VerifyReportWriter } | undefined;

/**
 * The instance's verifier and report writer on the engine's stores and clients, created on first use (module scope, like the engine).
 *
 * @example
 * const { verifier, reports } = getVerification();
 * const plan = await verifier.start('acme', runId);
 * await reports.write('acme', runId, 'SUCCEEDED'); // verify.json and verify.html, the run closed
 */
export function getVerification(): { verifier: Verifier; reports: VerifyReportWriter } {
  if (instance) return instance;
  const engine = getEngine();
  // Built here, not by the engine: the verification wires itself on the engine (handler/ knows nothing of verify/).
  const store = new VerifyStore(engine.db, engine.env.runsTable);
  instance = {
    verifier: new Verifier({
      ledger: engine.ledger,
      runs: engine.runs,
      store,
      registry: async () => (await engine.legacy()).registry,
      profile: getCustomerProfile,
      sourcePool: async (database) => (await engine.legacy()).pool(database),
      sourceLimiter: (customer, rate) => engine.limiter(customer, 'source', rate),
      target: (customer, targetRps) => engine.controlClient(customer, targetRps),
      clock: () => new Date(),
    }),
    reports: new VerifyReportWriter(store, engine.runs, engine.store),
  };
  return instance;
}
