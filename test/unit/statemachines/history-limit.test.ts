import { expect } from 'chai';
import { StateMachine } from 'aws-local-stepfunctions';
import { holdBack } from '../../../src/pipeline/back-pressure.ts';
import { MAX_QUEUE_BACKLOG } from '../../../src/profile/run-options.ts';
import { checkDrain } from '../../../src/queue/drain.ts';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import type { PageState } from '../../../src/pipeline/types.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { ProgressWait } from '../../../src/wait/progress-wait.ts';
import type { ProgressWaitState } from '../../../src/wait/types.ts';
import { MAX_HISTORY_EVENTS } from '../../../tooling/local/constants.ts';
import { ExecutionHistory, type HistoryLimitBreach } from '../../../tooling/local/execution-history.ts';
import { renderStateMachine } from '../../../tooling/statemachines/render.ts';
import { EXECUTION_CONTEXT, localTemplateVariables } from '../../helpers/statemachines.ts';

/** The scale the history quota must survive: one collection of 10 M records at 1 request/s (about 116 days). */
const RECORDS = 10_000_000;
const TARGET_RPS = 1;
/** What one producer invocation works before it returns its cursor (functions/producer: two minutes). */
const PRODUCER_BUDGET_SECONDS = 120;
const EPOCH = Date.UTC(2026, 0, 1);

type Handlers = Record<string, (input: never) => Promise<unknown> | unknown>;

/** Runs a rendered template with local Task handlers and no real waiting; counts its history as AWS would, stopping where AWS would. */
async function runCounted(
  template: string,
  input: object,
  handlers: Handlers,
  waitStates: string[],
): Promise<{ events: number; breach?: HistoryLimitBreach; output?: unknown }> {
  const definition = renderStateMachine(template, localTemplateVariables()) as { States: object };
  const history = new ExecutionHistory(definition);
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const run = machine.run(input as never, {
    context: EXECUTION_CONTEXT,
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: Object.fromEntries(waitStates.map((name) => [name, 0])) },
    noThrowOnAbort: true,
  });
  let breach: HistoryLimitBreach | undefined;
  const counted = (async () => {
    for await (const event of run.eventLogs) {
      breach = history.record(event);
      if (breach) return run.abort();
    }
  })();
  const output = await run.result;
  await counted;
  return { events: history.events, breach, output };
}

/**
 * ResourceFlow over a simulated collection on a virtual clock: producers
 * read `sourceBatchSize` rows per page at `sourceRps`, two minutes per
 * invocation; consumers finish `TARGET_RPS` records per second; drain-check
 * runs the engine's own decision (checkDrain) on that clock.
 */
async function simulateResourceFlow(decide: typeof checkDrain = checkDrain): Promise<{ events: number; breach?: HistoryLimitBreach; virtualSeconds: number }> {
  const options = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'), { targetRps: TARGET_RPS });
  const ranges = Array.from({ length: options.producers }, (_, i) => ({
    id: `r${i}`,
    afterId: (i * RECORDS) / options.producers,
    lastId: ((i + 1) * RECORDS) / options.producers,
  }));
  const pagesPerInvocation = (PRODUCER_BUDGET_SECONDS * options.sourceRps) / ranges.length;
  const rangeSeconds = new Map<string, number>();
  let now = 0;
  const consumed = (): number => Math.min(RECORDS, TARGET_RPS * now);
  const handlers: Handlers = {
    PlanRanges: () => ({ ranges }),
    ProducePage: ({ range, page }: { range: (typeof ranges)[number]; page: PageState }) => {
      const cursor = Math.min(range.lastId, (page.cursor ?? range.afterId) + pagesPerInvocation * options.sourceBatchSize);
      rangeSeconds.set(range.id, (rangeSeconds.get(range.id) ?? 0) + PRODUCER_BUDGET_SECONDS);
      return { done: cursor >= range.lastId, cursor, queued: cursor - range.afterId };
    },
    CheckDrain: async (input: { drain: ProgressWaitState; pollSeconds: number; timeoutSeconds: number }) => {
      now = Math.max(now, ...rangeSeconds.values()) + input.drain.waitSeconds;
      const messages = Math.ceil((RECORDS - consumed()) / options.recordsPerMessage);
      return decide(
        { depth: async () => ({ visible: messages, inFlight: 0, delayed: 0, drained: messages === 0 }), outcomes: async () => ({ all: consumed() }) },
        input.drain,
        { pollSeconds: input.pollSeconds, timeoutSeconds: input.timeoutSeconds },
        () => EPOCH + now * 1000,
      );
    },
  };
  const input = { customer: 'acme', runId: 'run-1', database: 'fp_acme_1', collection: 'work-orders', options };
  const result = await runCounted('resource', input, handlers, ['WaitForDrain']);
  return { ...result, virtualSeconds: now };
}

/**
 * ResourceFlow as above, with the producers' back-pressure: before each page
 * a producer asks the engine's own {@link holdBack} about the queue's depth
 * on its range's virtual clock (its invocations, pages and hold waits), and a
 * hold answers at once. The queue holds what all ranges queued less what the
 * consumers finished.
 */
async function simulateBackPressure(): Promise<{ events: number; breach?: HistoryLimitBreach; virtualSeconds: number; deepest: number; holds: number }> {
  const options = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'), { targetRps: TARGET_RPS });
  const ranges = Array.from({ length: options.producers }, (_, i) => ({
    id: `r${i}`,
    afterId: (i * RECORDS) / options.producers,
    lastId: ((i + 1) * RECORDS) / options.producers,
  }));
  const secondsPerPage = ranges.length / options.sourceRps;
  const clocks = new Map<string, number>();
  const queuedBy = new Map<string, number>();
  let now = 0;
  let deepest = 0;
  let holds = 0;
  const depthAt = (seconds: number): number =>
    Math.max(
      0,
      Math.ceil(([...queuedBy.values()].reduce((sum, queued) => sum + queued, 0) - Math.min(RECORDS, TARGET_RPS * seconds)) / options.recordsPerMessage),
    );
  const handlers: Handlers = {
    PlanRanges: () => ({ ranges }),
    ProducePage: ({ range, page }: { range: (typeof ranges)[number]; page: PageState }) => {
      // The input's hold is the one the HoldBack state just waited out; the ranges' calls take turns on one clock, which never goes back.
      let t = Math.max(now, (clocks.get(range.id) ?? 0) + (page.hold?.waitSeconds ?? 0));
      const end = t + PRODUCER_BUDGET_SECONDS;
      let cursor = page.cursor ?? range.afterId;
      let hold = page.hold;
      while (cursor < range.lastId && t < end) {
        const depth = depthAt(t);
        deepest = Math.max(deepest, depth);
        hold = holdBack(
          { depth, completed: Math.min(RECORDS, TARGET_RPS * t) },
          hold,
          { pollSeconds: options.drainPollSeconds, timeoutSeconds: options.drainTimeoutSeconds },
          () => EPOCH + t * 1000,
        );
        if (hold) break;
        cursor = Math.min(range.lastId, cursor + options.sourceBatchSize);
        queuedBy.set(range.id, cursor - range.afterId);
        t += secondsPerPage;
      }
      if (hold) holds += 1;
      clocks.set(range.id, t);
      now = Math.max(now, t);
      return { done: cursor >= range.lastId, cursor, queued: cursor - range.afterId, ...(hold ? { hold } : {}) };
    },
    CheckDrain: async (input: { drain: ProgressWaitState; pollSeconds: number; timeoutSeconds: number }) => {
      now = Math.max(now, ...clocks.values()) + input.drain.waitSeconds;
      return checkDrain(
        {
          depth: async () => ({ visible: depthAt(now), inFlight: 0, delayed: 0, drained: depthAt(now) === 0 }),
          outcomes: async () => ({ all: Math.min(RECORDS, TARGET_RPS * now) }),
        },
        input.drain,
        { pollSeconds: input.pollSeconds, timeoutSeconds: input.timeoutSeconds },
        () => EPOCH + now * 1000,
      );
    },
  };
  const input = { customer: 'acme', runId: 'run-1', database: 'fp_acme_1', collection: 'work-orders', options };
  const result = await runCounted('resource', input, handlers, ['WaitForDrain', 'HoldBack']);
  return { ...result, virtualSeconds: now, deepest, holds };
}

/** The per-customer flow with every step stubbed but the planboard jobs wait: `RECORDS` pending jobs finishing at `TARGET_RPS` per second. */
async function simulatePlanboardWait(
  pace?: (state: ProgressWaitState, pollSeconds: number) => ProgressWaitState,
): Promise<{ events: number; breach?: HistoryLimitBreach; virtualSeconds: number }> {
  const options = effectiveSettings(new FileProfiles('profiles').resolve('nobody-has-this-profile'), { targetRps: TARGET_RPS });
  let now = 0;
  const done = { Status: 'SUCCEEDED', Output: {} };
  const handlers: Handlers = {
    Configure: () => ({ customer: 'acme', runId: 'run-1', options }),
    SaveWorkflows: () => ({ workflowIds: [] }),
    DeactivateWorkflows: () => ({}),
    SwitchEmailOff: () => ({ emailEnabled: true }),
    MigrateFlow: () => done,
    UpdateMigratedAssignmentsFlow: () => done,
    MigrateDocumentsFlow: () => done,
    CheckPlanboardJobs: (input: { jobs: ProgressWaitState; pollSeconds: number; timeoutSeconds: number }) => {
      now += input.jobs.waitSeconds;
      const wait = new ProgressWait({ minWaitSeconds: input.pollSeconds, timeoutSeconds: input.timeoutSeconds, answersToFinish: 1 }, () => EPOCH + now * 1000);
      const state = wait.next(input.jobs, { remaining: Math.max(0, RECORDS - TARGET_RPS * now) });
      return pace ? pace(state, input.pollSeconds) : state;
    },
    MigratePlanboardFlow: () => done,
    RestoreWorkflows: () => ({ workflowsRestored: true }),
    RestoreEmail: () => ({ emailRestored: true }),
    ReportSucceededRun: () => done,
    ReportFailedRun: () => done,
  };
  const result = await runCounted('migration', { customer: 'acme', runId: 'run-1', options: {} }, handlers, ['WaitForPlanboardJobs']);
  return { ...result, virtualSeconds: now };
}

describe(`execution history stays under Step Functions' ${MAX_HISTORY_EVENTS}-event quota at ${RECORDS / 1e6} M records and ${TARGET_RPS} request/s`, function () {
  this.timeout(120_000);

  it('ResourceFlow: producing and the drain wait of the whole collection write fewer than 25,000 events, and the wait ends when the queue is drained', async () => {
    const { events, breach, virtualSeconds } = await simulateResourceFlow();
    expect(breach).to.equal(undefined);
    expect(virtualSeconds, 'the wait lasted until the last record was done').to.be.at.least(RECORDS / TARGET_RPS);
    expect(virtualSeconds, 'and ended soon after').to.be.below((RECORDS / TARGET_RPS) * 1.1);
    expect(events).to.be.below(MAX_HISTORY_EVENTS);
  });

  it('the count can fail: the old fixed poll every drainPollSeconds outgrows the quota and the execution fails with States.Runtime', async () => {
    const fixedPoll: typeof checkDrain = async (...args) => ({ ...(await checkDrain(...args)), waitSeconds: args[2].pollSeconds });
    const { events, breach } = await simulateResourceFlow(fixedPoll);
    expect(breach?.error).to.equal('States.Runtime');
    expect(breach?.cause).to.equal('The execution reached the maximum number of history events (25000).');
    expect(events).to.equal(MAX_HISTORY_EVENTS);
  });

  it('ResourceFlow with back-pressure: producers hold the queue near MAX_QUEUE_BACKLOG messages all the way, and producing, holding and draining still write fewer than 25,000 events', async () => {
    const { events, breach, virtualSeconds, deepest, holds } = await simulateBackPressure();
    expect(breach).to.equal(undefined);
    expect(holds, 'the producers did hold').to.be.above(0);
    expect(deepest, 'the queue never got much deeper than the most').to.be.below(MAX_QUEUE_BACKLOG * 1.01);
    expect(virtualSeconds).to.be.at.least(RECORDS / TARGET_RPS);
    expect(virtualSeconds, 'holding cost the run little time').to.be.below((RECORDS / TARGET_RPS) * 1.1);
    expect(events).to.be.below(MAX_HISTORY_EVENTS);
  });

  it('the per-customer flow: the planboard jobs wait writes fewer than 25,000 events however long the jobs take while they keep finishing', async () => {
    const { events, breach, virtualSeconds } = await simulatePlanboardWait();
    expect(breach).to.equal(undefined);
    expect(virtualSeconds).to.be.at.least(RECORDS / TARGET_RPS);
    expect(events).to.be.below(MAX_HISTORY_EVENTS);
  });

  it('the count can fail: the old planboard loop, a look every planboardPollSeconds, outgrows the quota', async () => {
    const { breach } = await simulatePlanboardWait((state, pollSeconds) => ({ ...state, waitSeconds: pollSeconds }));
    expect(breach?.error).to.equal('States.Runtime');
  });
});
