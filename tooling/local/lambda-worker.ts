/**
 * One warm Lambda instance: a worker thread that imports a handler bundle once
 * (the init phase) and then runs invocations one at a time with that module
 * scope, as a Lambda execution environment does.
 *
 * Loaded by Node itself (type stripping, no tsx), so this file and what it
 * imports use erasable TypeScript only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolveLocalhostSubdomains } from './localhost-dns.ts';
import { MetricsLog } from './metrics-log.ts';
import type { Context } from 'aws-lambda';
import type { FunctionErrorPayload, InvocationContext, WorkerData, WorkerMessage, WorkerRequest } from './types.ts';

type Handler = (event: unknown, context: Context) => unknown;

const port = parentPort;
if (!port) throw new Error('lambda-worker.ts runs only as a worker thread');
const { bundlePath, handler: handlerName, metrics } = workerData as WorkerData;
// Before the bundle's clients exist: fauxqs queue URLs name sqs.<region>.localhost.
resolveLocalhostSubdomains();

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

/**
 * Takes the EMF lines out of what the function writes on stdout (Powertools
 * Metrics writes one whole line per call) and posts each to the main thread,
 * on the port its result will follow on: when the result arrives, the
 * invocation's metrics are in the metrics log. The worker's stdout stream
 * reaches the main thread on a channel of its own, unordered with the port
 * and cut off when the worker is terminated. Other output stays on stdout.
 */
function postMetricLines(): void {
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    const lines = String(chunk).split('\n');
    const emf = lines.filter((line) => MetricsLog.isEmf(line));
    if (emf.length === 0) return write(chunk, ...rest);
    for (const line of emf) post({ kind: 'metrics', line });
    const other = lines.filter((line) => line !== '' && !MetricsLog.isEmf(line));
    // The callback a writer may pass is called as a stream would, once.
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    if (other.length > 0) return write(`${other.join('\n')}\n`, callback);
    callback?.();
    return true;
  }) as typeof process.stdout.write;
}

if (metrics) postMetricLines();

/** Lambda's error document: errorType is the error's name, as the Node.js runtime reports it. */
function toErrorPayload(error: unknown): FunctionErrorPayload {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

function lambdaContext(invocation: InvocationContext): Context {
  const { deadlineMs, ...fields } = invocation;
  const unsupported = (): never => {
    throw new Error('callback-style context methods are not supported; return or throw from an async handler');
  };
  return {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

async function init(): Promise<Handler | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
  } catch (error) {
    const payload = toErrorPayload(error);
    // An error thrown by the module's own init code keeps its name, as on Lambda.
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') payload.errorType = 'Runtime.ImportModuleError';
    post({ kind: 'init-error', error: payload });
    return undefined;
  }
  const handler = module[handlerName];
  if (typeof handler !== 'function') {
    post({
      kind: 'init-error',
      error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${bundlePath}.${handlerName} is undefined or not exported`, trace: [] },
    });
    return undefined;
  }
  return handler as Handler;
}

const handler = await init();
if (handler) {
  port.on('message', async (request: WorkerRequest) => {
    try {
      const result = await handler(JSON.parse(request.payload), lambdaContext(request.context));
      // An undefined result is sent as JSON null, as Lambda does.
      post({ kind: 'result', payload: JSON.stringify(result) ?? 'null' });
    } catch (error) {
      post({ kind: 'error', error: toErrorPayload(error) });
    }
  });
  post({ kind: 'ready' });
}
