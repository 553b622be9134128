/**
 * The run lifecycle: configure, the run locks (one run per customer and tenant), switching the
 * target's workflows and e-mail off, restoring them (a debt carried across runs), and the report step.
 *
 * @packageDocumentation
 */
export { getRunLifecycle } from './engine-lifecycle.ts';
export { RunLockedError } from './errors.ts';
export { executionRunning, stepFunctionsClient } from './execution-probe.ts';
export { describeHolder, lockedMessage, RunLock } from './run-lock.ts';
export type { ConfiguredRun, LockHolder, RunKind, WrittenReport } from './types.ts';
