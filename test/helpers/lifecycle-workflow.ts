import { readFile } from 'node:fs/promises';
import { RunLifecycle } from '../../src/control/run-lifecycle.ts';
import type { RunLifecycleDependencies } from '../../src/control/types.ts';
import type { ResolvedProfile } from '../../src/profile/types.ts';
import { InMemoryRunLock } from './fake-run-lock.ts';
import { InMemoryRunLog } from './lifecycle-run-log.ts';
import { InMemoryTarget } from './lifecycle-target.ts';

/** A customer's resolved profile, in memory. */
export const PROFILE: ResolvedProfile = {
  customer: 'acme',
  profiles: ['default'],
  timeZone: 'Europe/Amsterdam',
  statusMaps: {},
  rates: { targetRps: 20, sourceRps: 20 },
  batchSizes: { sourceBatchSize: 500, recordsPerMessage: 10, consumerBatchSize: 10 },
  concurrency: { producers: 4, messageGroups: 16, consumers: 4 },
  runOptions: {
    migrateCompletedProjects: false,
    migrateOnlyPlanboard: false,
    planboardSecondsToWait: 600,
    planboardPollSeconds: 10,
    drainTimeoutSeconds: 900,
    maxAttempts: 5,
    requestTimeoutSeconds: 30,
  },
};

/** A lifecycle on in-memory fakes, and the fakes to look at. */
export interface LifecycleWorld {
  lifecycle: RunLifecycle;
  runs: InMemoryRunLog;
  target: InMemoryTarget;
  reports: Map<string, string>;
  subprojects: { database: string; label: string | null }[];
  /** Databases the registry names that do not exist on the legacy server. */
  missingDatabases: Set<string>;
  locks: InMemoryRunLock;
  /** The FiberConnect tenant a customer's profile names (customers not here have their own). */
  tenants: Map<string, string>;
}

/** The execution ARN of a run in these tests (its name is the run id, as the CLI starts it). */
export function executionOf(runId: string): string {
  return `arn:aws:states:eu-west-1:000000000000:execution:fiberplan-migration-test-migration:${runId}`;
}

/** Builds a {@link LifecycleWorld}: one customer, two active sub-projects, a target as the stand-in starts it. */
export function lifecycleWorld(): LifecycleWorld {
  const runs = new InMemoryRunLog();
  const target = new InMemoryTarget();
  const reports = new Map<string, string>();
  const subprojects = [
    { database: 'fp_acme_north', label: 'North' },
    { database: 'fp_acme_south', label: null },
  ];
  const missingDatabases = new Set<string>();
  const locks = new InMemoryRunLock();
  const tenants = new Map<string, string>();
  let tick = Date.parse('2026-12-01T08:00:00Z');
  const deps: RunLifecycleDependencies = {
    runs,
    locks,
    ledger: { entriesOfRun: async function* () {} },
    reports: {
      putFile: async (key, path) => {
        reports.set(key, await readFile(path, 'utf8'));
        return key;
      },
      uri: (key) => `s3://reports/${key}`,
    },
    target: async () => target,
    registry: async () => ({
      listCustomers: async () => ['acme', 'acme-south'],
      listSubprojects: async (customer) => subprojects.map((s, i) => ({ id: i + 1, customer, active: true, ...s })),
      problemOf: async (database) => (missingDatabases.has(database) ? { kind: 'missing' } : undefined),
    }),
    profile: async (customer) => ({ ...PROFILE, customer, ...(tenants.has(customer) ? { tenant: tenants.get(customer)! } : {}) }),
    clock: () => new Date((tick += 1000)),
    logger: { info: () => undefined, warn: () => undefined },
  };
  return { lifecycle: new RunLifecycle(deps), runs, target, reports, subprojects, missingDatabases, locks, tenants };
}

/** The steps of the migration state machine that the lifecycle serves, in order. */
export type LifecycleStep =
  | 'configure'
  | 'saveWorkflows'
  | 'deactivateWorkflows'
  | 'switchEmailOff'
  | 'migrate'
  | 'restoreWorkflows'
  | 'restoreEmail'
  | 'report';

/** How {@link runWorkflow} ended. */
export interface WorkflowOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'KILLED';
  restored: { workflowsRestored: boolean; emailRestored: boolean };
}

/**
 * Drives the lifecycle as statemachines/migration.json does: a failure of a
 * step before the restore goes to RestoreWorkflows; RestoreWorkflows and
 * RestoreEmail always run and their failure leaves `restored` false; the
 * report closes the run. `killAfter` stops the run after that step, as a
 * SIGKILL of the local runtime does (nothing after it runs, not even the restore).
 */
export async function runWorkflow(
  world: LifecycleWorld,
  runId: string,
  options: { killAfter?: LifecycleStep; onlyPlanboard?: boolean; customer?: string } = {},
): Promise<WorkflowOutcome> {
  const executionArn = executionOf(runId);
  world.locks.running.add(executionArn);
  try {
    return await steps(world, runId, executionArn, options);
  } finally {
    // Killed or ended, the execution no longer runs: a lock it still holds is stale.
    world.locks.running.delete(executionArn);
  }
}

async function steps(
  world: LifecycleWorld,
  runId: string,
  executionArn: string,
  options: { killAfter?: LifecycleStep; onlyPlanboard?: boolean; customer?: string },
): Promise<WorkflowOutcome> {
  const customer = options.customer ?? 'acme';
  const killed = (step: LifecycleStep) => options.killAfter === step;
  const restored = { workflowsRestored: false, emailRestored: false };
  const run = await world.lifecycle.configure({ customer, runId, executionArn, options: options.onlyPlanboard ? { migrateOnlyPlanboard: true } : {} });
  if (killed('configure')) return { status: 'KILLED', restored };
  const { targetRps } = run.options;
  let workflowIds: string[] = [];
  let error: { Error: string; Cause: string } | undefined;
  try {
    if (!options.onlyPlanboard) {
      workflowIds = (await world.lifecycle.saveWorkflows({ customer, runId, targetRps })).workflowIds;
      if (killed('saveWorkflows')) return { status: 'KILLED', restored };
      await world.lifecycle.deactivateWorkflows({ customer, targetRps, workflowIds });
      if (killed('deactivateWorkflows')) return { status: 'KILLED', restored };
      await world.lifecycle.switchEmailOff({ customer, runId, targetRps });
      if (killed('switchEmailOff')) return { status: 'KILLED', restored };
    }
    if (killed('migrate')) return { status: 'KILLED', restored };
  } catch (caught) {
    error = { Error: (caught as Error).name, Cause: (caught as Error).message };
  }
  try {
    Object.assign(restored, await world.lifecycle.restoreWorkflows({ customer, targetRps, workflowIds }));
  } catch (caught) {
    error ??= { Error: (caught as Error).name, Cause: (caught as Error).message };
  }
  if (killed('restoreWorkflows')) return { status: 'KILLED', restored };
  try {
    Object.assign(restored, await world.lifecycle.restoreEmail({ customer, runId, targetRps }));
  } catch (caught) {
    error ??= { Error: (caught as Error).name, Cause: (caught as Error).message };
  }
  if (killed('restoreEmail')) return { status: 'KILLED', restored };
  const status = error ? 'FAILED' : 'SUCCEEDED';
  await world.lifecycle.report({
    customer,
    runId,
    status,
    target: { workflows: { workflowsRestored: restored.workflowsRestored }, email: { emailRestored: restored.emailRestored } },
    ...(error ? { error } : {}),
  });
  return { status, restored };
}
