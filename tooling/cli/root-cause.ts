import { printable } from './terminal-text.ts';

/**
 * The root cause of a failed execution. Step Functions nests: a Task that
 * ran a child execution (`startExecution.sync`) fails with
 * `States.TaskFailed` and the child's description as JSON in `Cause`, whose
 * own `Error`/`Cause` may nest again, down to the Lambda's error (a JSON
 * payload on AWS, `errorType: errorMessage` locally).
 */

/** An execution's failure as DescribeExecution (or a child's description in a Cause) gives it. */
export interface FailedExecution {
  error?: string;
  cause?: string;
  /** The execution's input: names the collection and sub-project of a child. */
  input?: unknown;
  executionArn?: string;
}

/** The innermost error, and where it happened when a child's input says so. */
export interface RootCause {
  error: string;
  message: string;
  collection?: string;
  database?: string;
}

/**
 * Finds a failed child execution of a Distributed Map run: on AWS a failed
 * item fails the Map with `States.ExceedToleratedFailureThreshold`, and the
 * child's error is only in the child.
 */
export type FailedChildLookup = (executionArn: string) => Promise<FailedExecution | undefined>;

const MAX_DEPTH = 16;

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks `execution`'s error and cause down to the innermost error. */
export async function findRootCause(execution: FailedExecution, failedChild?: FailedChildLookup): Promise<RootCause> {
  let current = execution;
  const where: { collection?: string; database?: string } = {};
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const input = parseJson(current.input);
    if (isObject(input)) {
      if (typeof input.collection === 'string') where.collection = input.collection;
      if (typeof input.database === 'string') where.database = input.database;
    }
    const error = current.error ?? 'unknown error';
    const cause = parseJson(current.cause);
    if (isObject(cause) && typeof cause.Error === 'string') {
      current = {
        error: cause.Error,
        cause: typeof cause.Cause === 'string' ? cause.Cause : undefined,
        input: cause.Input,
        executionArn: typeof cause.ExecutionArn === 'string' ? cause.ExecutionArn : undefined,
      };
      continue;
    }
    if (isObject(cause) && typeof cause.errorType === 'string') {
      return { error: cause.errorType, message: typeof cause.errorMessage === 'string' ? cause.errorMessage : '', ...where };
    }
    if (error === 'States.ExceedToleratedFailureThreshold' && failedChild && current.executionArn) {
      const child = await failedChild(current.executionArn);
      if (child) {
        current = child;
        continue;
      }
    }
    const text = typeof current.cause === 'string' ? current.cause : '';
    // Locally a Lambda's error arrives as `errorType: errorMessage`.
    const message = text.startsWith(`${error}: `) ? text.slice(error.length + 2) : text;
    return { error, message, ...where };
  }
  return { error: current.error ?? 'unknown error', message: 'error nested too deep to follow', ...where };
}

/** One line for ops: `connections of fp_x_b: legacy database unreachable (PROTOCOL_CONNECTION_LOST)`; a message from either system cannot break it or act on the terminal ({@link printable}). */
export function rootCauseLine(cause: RootCause): string {
  const place = cause.collection && cause.database ? `${cause.collection} of ${cause.database}` : (cause.database ?? cause.collection);
  const what = !cause.message ? cause.error : cause.error.startsWith('States.') ? `${cause.error}: ${cause.message}` : cause.message;
  return printable(place ? `${place}: ${what}` : what);
}
