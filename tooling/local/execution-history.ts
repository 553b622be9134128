import type { StateMachine } from 'aws-local-stepfunctions';
import { MAX_HISTORY_EVENTS, MAX_STATE_DATA_BYTES } from './constants.ts';

/** One entry of aws-local-stepfunctions' event log (the library does not export the type). */
export type LocalEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncIterable<infer E> ? E : never;

/** Why AWS would end the execution here, as DescribeExecution reports it. */
export interface HistoryLimitBreach {
  error: 'States.Runtime' | 'States.DataLimitExceeded';
  cause: string;
}

type StateMap = Record<
  string,
  { Type: string; Resource?: unknown; ItemProcessor?: { States?: StateMap }; Iterator?: { States?: StateMap }; Branches?: { States?: StateMap }[] }
>;

const SYNC_RESOURCE = /^arn:aws:states:::states:startExecution\.sync(:2)?$/;

/** Names of the `.sync` Tasks of a definition, nested Maps and Parallels included: they write one event more (TaskSubmitted). */
function syncTasks(states: StateMap, found = new Set<string>()): Set<string> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task' && typeof state.Resource === 'string' && SYNC_RESOURCE.test(state.Resource)) found.add(name);
    for (const branch of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (branch?.States) syncTasks(branch.States, found);
  }
  return found;
}

/**
 * Counts an execution's history events the way AWS Step Functions writes
 * them, from aws-local-stepfunctions' event log (which has fewer, coarser
 * events), and checks each state's output size. AWS writes, per state:
 * a Task `TaskStateEntered, (Lambda|Task)Scheduled, …Started, [TaskSubmitted
 * for .sync], …Succeeded, TaskStateExited` and `…Failed` plus a new
 * `Scheduled, Started` per retry; Pass, Wait, Choice and Succeed `Entered,
 * Exited`; a Map `MapStateEntered, MapStateStarted`, `MapIterationStarted`
 * and `…Succeeded|Failed` per item, `MapStateSucceeded, MapStateExited`.
 * The execution adds `ExecutionStarted` and its end.
 *
 * AWS's hard quota is 25,000 events: event 25,000 is the end of the
 * execution, and when that end is not a success the execution fails with
 * `States.Runtime`. A state output over 256 KiB fails it with
 * `States.DataLimitExceeded`, which `States.ALL` does not catch.
 */
export class ExecutionHistory {
  private readonly syncTaskNames: Set<string>;
  private count = 0;

  public constructor(definition: { States: object }) {
    this.syncTaskNames = syncTasks(definition.States as StateMap);
  }

  /** Events written so far. */
  public get events(): number {
    return this.count;
  }

  /** Counts one event of the local library; answers how AWS would fail the execution at this point, if it would. */
  public record(event: LocalEvent): HistoryLimitBreach | undefined {
    if (event.type === 'ExecutionSucceeded') {
      this.count += 1;
      return undefined;
    }
    const written = this.weight(event);
    if (this.count + written > MAX_HISTORY_EVENTS - 1) {
      this.count = MAX_HISTORY_EVENTS;
      return { error: 'States.Runtime', cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).` };
    }
    this.count += written;
    if (event.type === 'StateExited' && event.state.output !== undefined) {
      const bytes = Buffer.byteLength(JSON.stringify(event.state.output), 'utf8');
      if (bytes > MAX_STATE_DATA_BYTES) {
        return {
          error: 'States.DataLimitExceeded',
          cause: `The state/task '${event.state.name}' returned a result with a size (${bytes} bytes) exceeding the maximum number of bytes service limit (${MAX_STATE_DATA_BYTES}).`,
        };
      }
    }
    return undefined;
  }

  /** How many AWS history events one local event stands for. */
  private weight(event: LocalEvent): number {
    switch (event.type) {
      case 'StateEntered':
        return event.state.type === 'Task' ? 3 : event.state.type === 'Map' || event.state.type === 'Parallel' ? 2 : 1;
      case 'StateExited':
        if (event.state.type === 'Task') return this.syncTaskNames.has(event.state.name) ? 3 : 2;
        return event.state.type === 'Map' || event.state.type === 'Parallel' ? 2 : 1;
      case 'StateFailed':
        return event.state.type === 'Task' || event.state.type === 'Map' || event.state.type === 'Parallel' ? 1 : 0;
      case 'StateRetried':
        return 2;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return 1;
      case 'StateCaught':
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return 0;
      default:
        // ExecutionStarted and the execution's end.
        return 1;
    }
  }
}
