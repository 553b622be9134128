import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';

/**
 * Whether the Step Functions execution still runs: what tells a live lock
 * from a stale one. An execution that does not exist (a local runtime that
 * is gone took its executions with it) does not run; any other error
 * (no permission, throttling) is thrown, so a lock is never taken over on a guess.
 *
 * @example
 * if (!(await executionRunning(sfn, holder.executionArn))) takeOver();
 */
export async function executionRunning(sfn: Pick<SFNClient, 'send'>, executionArn: string): Promise<boolean> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return status === 'RUNNING';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}

/** A Step Functions client on the standard endpoint variables (created here, so a handler that loads this module lazily gets the SDK with it). */
export function stepFunctionsClient(): SFNClient {
  return new SFNClient({});
}
