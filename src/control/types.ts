import type { Logger } from '@aws-lambda-powertools/logger';
import type { Ledger } from '../ledger/ledger.ts';
import type { RunStore } from '../ledger/run-store.ts';
import type { ObjectStore } from '../pipeline/object-store.ts';
import type { RunSettings } from '../pipeline/types.ts';
import type { ResolvedProfile } from '../profile/types.ts';
import type { LegacyRegistry } from '../source/registry.ts';
import type { FiberConnectClient } from '../target/fiberconnect-client.ts';

/** The target calls a run's lifecycle makes: workflows and the e-mail setting. */
export type TargetSwitches = Pick<FiberConnectClient, 'listActiveWorkflows' | 'setWorkflowActive' | 'getNotifications' | 'putNotifications'>;

/** The run table as the lifecycle uses it: runs, their end, and what is still to be restored. */
export type RunLog = Pick<
  RunStore,
  | 'startRun'
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

/** What {@link RunLifecycle} works with; injected, so tests give it in-memory fakes. */
export interface RunLifecycleDependencies {
  runs: RunLog;
  /** The ledger the report is built from. */
  ledger: Pick<Ledger, 'entriesOfRun'>;
  /** Where report.json and report.html go. */
  reports: Pick<ObjectStore, 'putFile' | 'uri'>;
  /** The customer's target, every call counted against the run's target rate. */
  target(customer: string, targetRps: number): Promise<TargetSwitches>;
  /** The legacy registry of sub-projects. */
  registry(): Promise<Pick<LegacyRegistry, 'listSubprojects'>>;
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
  /** A rollback's configure: it needs a migration to follow and becomes the latest rollback. */
  kind?: 'rollback';
}

/** Output of configure: everything the rest of the workflow reads. */
export interface ConfiguredRun {
  customer: string;
  runId: string;
  options: RunSettings;
  subprojects: { database: string; label: string | null }[];
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
  /** Rebuild the report of a finished run (after a redrive) without touching the run's end. */
  refresh?: boolean;
}

/** Output of report: where the report went. */
export interface WrittenReport {
  reportJson: string;
  reportHtml: string;
  status: string;
}
