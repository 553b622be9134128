import { randomUUID } from 'node:crypto';
import { StateMachine, type RunOptions as LocalRunOptions } from 'aws-local-stepfunctions';
import { MigrationError } from '../../src/domain/index.ts';
import { MAX_STATE_DATA_BYTES } from './constants.ts';
import { ExecutionHistory, type LocalEvent } from './execution-history.ts';
import type { RunTimeline } from './timeline.ts';

/** Status names as DescribeExecution returns them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One execution, as DescribeExecution describes it. */
export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** What the Step Functions API would answer with an error type (`ExecutionDoesNotExist`, ...). */
export class StepFunctionsApiError extends MigrationError<{ type: string }> {}

const SYNC_RESOURCE = /^arn:aws:states:::states:startExecution\.sync(:2)?$/;

type Definition = ConstructorParameters<typeof StateMachine>[0];
type StateMap = Record<string, Record<string, unknown>>;

/** Names of every Task (nested Map and Parallel states included) that starts a child execution with `.sync`. */
function syncTaskNames(states: StateMap, found = new Map<string, string>()): Map<string, string> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task' && typeof state.Resource === 'string' && SYNC_RESOURCE.test(state.Resource)) found.set(name, state.Resource);
    const nested = [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])] as ({ States?: StateMap } | undefined)[];
    for (const branch of nested) if (branch?.States) syncTaskNames(branch.States, found);
  }
  return found;
}

interface Running {
  execution: LocalExecution;
  abort: () => void;
  done: Promise<void>;
  children: Set<string>;
  history: ExecutionHistory;
}

/**
 * Runs the rendered state machines with aws-local-stepfunctions and keeps the
 * executions, so a small API in front of it (sfn-endpoint.ts) can answer
 * StartExecution, DescribeExecution and StopExecution as AWS does.
 *
 * Lambda Tasks are NOT overridden: they call the Lambda API through
 * AWS_ENDPOINT_URL_LAMBDA, which the local runtime points at its own Invoke
 * endpoint, so the path is the same as on AWS. `startExecution.sync(:2)` Tasks
 * are overridden to run the child here and return what AWS returns
 * (`Output` parsed for `:2`, a string otherwise).
 */
/** Rendered definitions this process has validated: a definition is the same text at every start of a runtime. */
const VALIDATED = new Set<string>();

export class LocalStepFunctions {
  private readonly machines = new Map<string, { definition: Definition; stateMachine: StateMachine; syncTasks: Map<string, string> }>();
  private readonly executions = new Map<string, Running>();

  public constructor(
    private readonly region: string,
    private readonly accountId: string,
    /** Where each execution's span goes (`make bench`'s timeline), named by state machine and the collection of its input. */
    private readonly timeline?: RunTimeline,
  ) {}

  /**
   * Makes a rendered definition runnable under its ARN. It is validated here,
   * once per process: validation compiles the ASL schema (about 0.1 s of CPU a
   * definition, 1.5 s for the twelve), which cost a run seconds when every
   * execution built its own StateMachine, and the tests' many runtimes, one
   * after the other in one process, that again at each start.
   */
  public register(stateMachineArn: string, definition: object): void {
    const typed = definition as Definition;
    const text = JSON.stringify(definition);
    const stateMachine = new StateMachine(typed, { validationOptions: VALIDATED.has(text) ? { noValidate: true } : { checkArn: true, checkPaths: true } });
    VALIDATED.add(text);
    this.machines.set(stateMachineArn, { definition: typed, stateMachine, syncTasks: syncTaskNames(typed.States as unknown as StateMap) });
  }

  /** Starts an execution; a repeated name with the same input returns the existing one (AWS's idempotent start). */
  public start(stateMachineArn: string, input: string, name: string = randomUUID()): LocalExecution {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new StepFunctionsApiError(`State Machine Does Not Exist: '${stateMachineArn}'`, { type: 'StateMachineDoesNotExist' });
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.execution.input === input) return existing.execution;
      throw new StepFunctionsApiError(`Execution Already Exists: '${executionArn}'`, { type: 'ExecutionAlreadyExists' });
    }
    if (Buffer.byteLength(input, 'utf8') > MAX_STATE_DATA_BYTES) {
      throw new StepFunctionsApiError(`Invalid State Machine Execution Input: larger than ${MAX_STATE_DATA_BYTES} bytes`, { type: 'InvalidExecutionInput' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new StepFunctionsApiError('Invalid State Machine Execution Input: not JSON', { type: 'InvalidExecutionInput' });
    }
    const execution: LocalExecution = { executionArn, stateMachineArn, name, status: 'RUNNING', startDate: new Date(), input };
    const children = new Set<string>();
    const overrides: NonNullable<NonNullable<LocalRunOptions['overrides']>['taskResourceLocalHandlers']> = {};
    for (const [taskName, resource] of machine.syncTasks) {
      overrides[taskName] = (taskInput) => this.runChild(taskInput, resource.endsWith(':2'), children) as never;
    }
    const runOptions: LocalRunOptions = {
      overrides: { taskResourceLocalHandlers: overrides },
      context: { Execution: { Id: executionArn, Name: name, StartTime: execution.startDate.toISOString(), Input: parsed as never } },
    };
    // run() keeps all of an execution's state in the execution: one StateMachine serves them all.
    const run = machine.stateMachine.run(parsed as never, runOptions);
    const history = new ExecutionHistory(machine.definition as { States: object });
    // The event log ends with the execution: its result waits for it, so an execution that outgrew a limit never ends SUCCEEDED.
    const limits = this.enforceLimits(executionArn, run.eventLogs, history);
    const done = run.result.then(
      async (output) => {
        await limits;
        this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) });
      },
      async (error: Error & { cause?: unknown }) => {
        await limits;
        // aws-local-stepfunctions wraps the state's error (Fail state, Lambda error) as `cause`.
        const inner = error.cause instanceof Error ? error.cause : error;
        this.finish(execution, 'FAILED', { error: inner.name, cause: inner.message });
      },
    );
    this.executions.set(executionArn, { execution, abort: run.abort, done, children, history });
    return execution;
  }

  /**
   * Counts the execution's history events as AWS does and fails it the way
   * AWS would at 25,000 events (`States.Runtime`) or at a state output over
   * 256 KiB (`States.DataLimitExceeded`), so a flow that outgrows Step
   * Functions fails here too instead of only on AWS.
   */
  private async enforceLimits(executionArn: string, events: AsyncIterable<LocalEvent>, history: ExecutionHistory): Promise<void> {
    for await (const event of events) {
      const breach = history.record(event);
      if (!breach) continue;
      const running = this.executions.get(executionArn);
      if (!running) return;
      if (running.execution.status !== 'RUNNING') return;
      this.finish(running.execution, 'FAILED', { error: breach.error, cause: breach.cause });
      running.abort();
      for (const child of running.children) this.stop(child, breach.error, breach.cause);
      return;
    }
  }

  /** History events the execution has written so far, counted as AWS counts them. */
  public historyEvents(executionArn: string): number {
    const running = this.executions.get(executionArn);
    if (!running) throw new StepFunctionsApiError(`Execution Does Not Exist: '${executionArn}'`, { type: 'ExecutionDoesNotExist' });
    return running.history.events;
  }

  /** The execution as it is now. */
  public describe(executionArn: string): LocalExecution {
    const running = this.executions.get(executionArn);
    if (!running) throw new StepFunctionsApiError(`Execution Does Not Exist: '${executionArn}'`, { type: 'ExecutionDoesNotExist' });
    return running.execution;
  }

  /** Stops an execution and every child it started, as StopExecution does. */
  public stop(executionArn: string, error?: string, cause?: string): LocalExecution {
    const running = this.executions.get(executionArn);
    if (!running) throw new StepFunctionsApiError(`Execution Does Not Exist: '${executionArn}'`, { type: 'ExecutionDoesNotExist' });
    if (running.execution.status === 'RUNNING') {
      this.finish(running.execution, 'ABORTED', { ...(error ? { error } : {}), ...(cause ? { cause } : {}) });
      running.abort();
      for (const child of running.children) this.stop(child, error, cause);
    }
    return running.execution;
  }

  /** Resolves when the execution has ended (tests and shutdown). */
  public async settled(executionArn: string): Promise<LocalExecution> {
    const running = this.executions.get(executionArn);
    if (!running) throw new StepFunctionsApiError(`Execution Does Not Exist: '${executionArn}'`, { type: 'ExecutionDoesNotExist' });
    await running.done;
    return running.execution;
  }

  /** Stops everything still running (runtime shutdown). */
  public stopAll(): void {
    for (const { execution } of this.executions.values()) if (execution.status === 'RUNNING') this.stop(execution.executionArn, 'RuntimeStopped');
  }

  private finish(execution: LocalExecution, status: ExecutionStatus, result: Partial<LocalExecution>): void {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, result, { status, stopDate: new Date() });
    if (this.timeline) {
      const collection = (JSON.parse(execution.input) as { collection?: unknown }).collection;
      const machine = (execution.stateMachineArn.split(':').at(-1) ?? execution.stateMachineArn).replace(/^.*-local-/, '');
      this.timeline.record(
        'flow',
        typeof collection === 'string' ? `${machine} ${collection}` : machine,
        execution.startDate.getTime(),
        execution.stopDate!.getTime(),
      );
    }
  }

  private async runChild(taskInput: unknown, parseOutput: boolean, children: Set<string>): Promise<unknown> {
    const { StateMachineArn: arn, Input: input, Name: name } = (taskInput ?? {}) as { StateMachineArn?: string; Input?: unknown; Name?: string };
    if (!arn) throw Object.assign(new Error('startExecution.sync needs StateMachineArn'), { name: 'States.Runtime' });
    const child = this.start(arn, typeof input === 'string' ? input : JSON.stringify(input ?? {}), name);
    children.add(child.executionArn);
    const ended = await this.settled(child.executionArn);
    const description = {
      ExecutionArn: ended.executionArn,
      StateMachineArn: ended.stateMachineArn,
      Name: ended.name,
      Status: ended.status,
      StartDate: ended.startDate.getTime(),
      StopDate: ended.stopDate?.getTime(),
      Input: parseOutput ? JSON.parse(ended.input) : ended.input,
      Output: parseOutput && ended.output !== undefined ? JSON.parse(ended.output) : ended.output,
    };
    if (ended.status === 'SUCCEEDED') return description;
    // AWS fails the parent Task with States.TaskFailed and the child's description as the cause.
    throw Object.assign(new Error(JSON.stringify({ ...description, Error: ended.error, Cause: ended.cause })), { name: 'States.TaskFailed' });
  }

  /** ARN of a state machine of this runtime. */
  public stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }
}
