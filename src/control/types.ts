import type { Logger } from '@aws-lambda-powertools/logger';
import type { Ledger, RunStore, SettledCounters } from '../ledger/index.ts';
import type { ObjectStore, RunSettings } from '../pipeline/index.ts';
import type { ResolvedProfile } from '../profile/index.ts';
import type { PrecheckRegistry } from '../source/index.ts';
import type { FiberConnectClient } from '../target/client/index.ts';

/** The target calls a run's lifecycle makes: workflows and the e-mail setting. */
export type TargetSwitches = Pick<FiberConnectClient, 'listActiveWorkflows' | 'setWorkflowActive' | 'getNotifications' | 'putNotifications'>;

/** The run table as the lifecycle uses it: runs, their end, and what is still to be restored. */
export type RunLog = Pick<
  RunStore,
  | 'startRun'
  | 'recordRun'
  | 'reviveRun'
  | 'getRun'
  | 'latestRunId'
  | 'updateRun'
  | 'progress'
  | 'settleOutcomes'
  | 'restoreDebt'
  | 'addWorkflowsToRestore'
  | 'keepEmailToRestore'
  | 'markWorkflowsRestored'
  | 'markEmailRestored'
>;

/** The run locks as the lifecycle takes and gives them back (src/control/run-lock.ts). */
export interface RunLocks {
  acquire(keys: readonly LockKey[], holder: LockHolder): Promise<LockHolder[]>;
  release(keys: readonly LockKey[], runId: string): Promise<void>;
}

/** What {@link RunLifecycle} works with; injected, so tests give it in-memory fakes. */
export interface RunLifecycleDependencies {
  runs: RunLog;
  /** One run per customer and per tenant switching the target: taken by configure, given back by closeRun. */
  locks: RunLocks;
  /** The ledger the report is built from. */
  ledger: Pick<Ledger, 'entriesOfRun'>;
  /** Where report.json and report.html go. */
  reports: Pick<ObjectStore, 'putFile' | 'uri'>;
  /** The customer's target, every call counted against the run's target rate. */
  target(customer: string, targetRps: number): Promise<TargetSwitches>;
  /** The legacy registry of sub-projects (configure runs the legacy pre-check on it). */
  registry(): Promise<PrecheckRegistry>;
  /** The customer's resolved profile (its run defaults). */
  profile(customer: string): Promise<ResolvedProfile>;
  /** Now: when a run starts and ends. */
  clock(): Date;
  /** Where the lifecycle says what it did (the Powertools logger in a Lambda). */
  logger: Pick<Logger, 'info' | 'warn'>;
}

/** Input of configure: the customer, the run's id, and the options it was started with. */
export interface ConfigureEvent {
  customer: string;
  runId: string;
  options?: Record<string, unknown>;
  /**
   * A rollback's configure: it needs a migration to follow and becomes the
   * latest rollback. A redrive's: it needs a run whose dead letters to send
   * again, and becomes no latest run (the messages it sends again are that run's).
   */
  kind?: 'rollback' | 'redrive';
  /** The execution running the run (`$$.Execution.Id`): its lock is stale once this is no longer RUNNING. */
  executionArn: string;
  /** The plan that started the run (a plan's migration): its lock says so, and a person's start is refused naming the plan. */
  plan?: string;
}

/** Output of configure: everything the rest of the workflow reads. */
export interface ConfiguredRun {
  customer: string;
  runId: string;
  options: RunSettings;
  subprojects: { database: string; label: string | null }[];
  /** A redrive: the run whose dead letters it sends again. */
  redriveOf?: string;
}

/** Input of the steps that read the target for a run: save-workflows, email-off, email-restore. */
export interface RunTargetEvent {
  customer: string;
  runId: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  /** A dry run: the restore steps change nothing. */
  dryRun?: boolean;
}

/** Input of deactivate-workflows and restore-workflows: the workflows save-workflows returned. */
export interface WorkflowsEvent {
  customer: string;
  /** The run's target rate: these calls count against it like every other. */
  targetRps: number;
  workflowIds: string[];
  /** A dry run: the restore steps change nothing. */
  dryRun?: boolean;
}

/** Input of report: the run, how it ended, and what the restore steps achieved. */
export interface ReportEvent {
  customer: string;
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  error?: { Error?: string; Cause?: string };
  target?: { workflows?: { workflowsRestored?: boolean }; email?: { emailRestored?: boolean } };
  /** A redrive's report: it closes the redrive run, then writes the report of this run again (the redriven records' new outcomes). */
  redriveOf?: string;
}

/** Output of report: where the report went. */
export interface WrittenReport {
  reportJson: string;
  reportHtml: string;
  status: string;
}

/** A report written, and what its recount changed of the run's live counters (the report function counts it as metrics). */
export interface ClosedRunReport extends WrittenReport {
  /** Collections whose live counters differed from the ledger, now set to it. */
  settled: SettledCounters[];
  dryRun: boolean;
}

/** What a run is, as its lock names it: what a second start is told is going on. */
export type RunKind = 'migration' | 'dry-run' | 'rollback' | 'redrive' | 'plan';

/** The run holding a lock: enough to name it in one line and to tell whether it still runs. */
export interface LockHolder {
  customer: string;
  runId: string;
  kind: RunKind;
  /** The Step Functions execution that runs it: when it is no longer RUNNING, the lock is stale. */
  executionArn: string;
  startedAt: string;
  /** The plan that started it (a plan's run), for the line a person's second start is refused with. */
  plan?: string;
}

/** Which lock: a customer's (one run per customer), or a FiberConnect tenant's (one run switching its workflows and e-mail at a time). */
export interface LockKey {
  scope: 'customer' | 'tenant';
  name: string;
}
