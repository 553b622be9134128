import { refusedTokenMessage, TargetRefusedError } from '../target/index.ts';
import type { PipelineRuns, QueueMessage } from './types.ts';

/** How long a consumer instance trusts the customer's live run it read: `make stop` waits at least this long after marking a run stopped. */
export const LIVE_RUN_CACHE_MS = 5_000;

/** How long a consumer instance trusts that FiberConnect has not refused a run's token. */
const REFUSAL_CHECK_MS = 5_000;

/**
 * Whether a message's run may still send: it is the customer's latest live
 * run (real and dry runs apart), and FiberConnect has not refused its token.
 * What it read is kept per warm instance for a few seconds, so a delivery
 * costs no read of the run table; a refusal is kept for good.
 */
export class RunGate {
  private readonly latestRun = new Map<string, { runId?: string; at: number }>();
  /** Runs whose token FiberConnect refused, and when each other run was last checked for it. */
  private readonly refusedRuns = new Set<string>();
  private readonly refusalChecked = new Map<string, number>();

  public constructor(private readonly runs: PipelineRuns) {}

  /** Whether the message is stale: its run is not the latest live one, or its token was refused (a dry run sends nothing, so only the former). */
  public async isStale(message: QueueMessage): Promise<boolean> {
    const dryRun = message.dryRun === true;
    if (!(await this.isLatestRun(message.customer, message.runId, dryRun))) return true;
    // A run whose token FiberConnect refused sends nothing more: its records keep no outcome, a re-run (with a good token) takes them.
    return !dryRun && (await this.isRefused(message.customer, message.runId));
  }

  /**
   * FiberConnect refused the token: the run is marked so every consumer stops
   * sending and its next drain check stops it; throws the delivery's error
   * (what it did not send keeps no outcome).
   */
  public async refuse(message: QueueMessage, answer: string): Promise<never> {
    const line = refusedTokenMessage(message.customer, answer);
    await this.runs.markTargetRefused(message.customer, message.runId, line);
    this.refusedRuns.add(`${message.customer}#${message.runId}`);
    throw new TargetRefusedError(line, { customer: message.customer, runId: message.runId, status: Number.parseInt(answer, 10) });
  }

  /**
   * Whether the run is the customer's latest. A match is cached for a few
   * seconds; a mismatch is always read again, so a run that has just started
   * is never mistaken for a stale one.
   */
  private async isLatestRun(customer: string, runId: string, dryRun: boolean): Promise<boolean> {
    // A dry run's messages are checked against the latest dry run: real and dry runs never make each other stale.
    const cacheKey = `${dryRun ? 'dry#' : ''}${customer}`;
    const cached = this.latestRun.get(cacheKey);
    if (cached?.runId === runId && Date.now() - cached.at < LIVE_RUN_CACHE_MS) return true;
    // A stopped run is no run to deliver for: its messages still queued are dropped.
    const latest = await this.runs.liveRunId(customer, dryRun ? 'dry-run' : 'run');
    this.latestRun.set(cacheKey, { runId: latest, at: Date.now() });
    return latest === runId;
  }

  /** Whether FiberConnect refused the run's token (read at most every few seconds per warm instance). */
  private async isRefused(customer: string, runId: string): Promise<boolean> {
    const key = `${customer}#${runId}`;
    if (this.refusedRuns.has(key)) return true;
    const checked = this.refusalChecked.get(key);
    if (checked !== undefined && Date.now() - checked < REFUSAL_CHECK_MS) return false;
    this.refusalChecked.set(key, Date.now());
    if (!(await this.runs.targetRefusal(customer, runId))) return false;
    this.refusedRuns.add(key);
    return true;
  }
}
