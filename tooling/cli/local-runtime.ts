import { InvalidInputError } from '../../src/domain/index.ts';
import { DEFAULT_DATA_DIR } from '../local/constants.ts';
import { LocalRuntime, type LocalRuntimeOptions } from '../local/runtime.ts';

/**
 * Starts the embedded runtime for a CLI command, and refuses a data
 * directory created on another base port: fauxqs keeps the port it was
 * created on in every persisted queue URL, and the handlers' SQS clients
 * follow a queue URL's host, so they would send to the old port (nothing, or
 * LocalStack, listens there).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const runtime = await LocalRuntime.start(options);
  const expected = new URL(runtime.endpoints.sqs).port;
  const stale = Object.values(runtime.stack.queueUrls)
    .map((url) => new URL(url).port)
    .find((port) => port !== expected);
  if (stale === undefined) return runtime;
  await runtime.close();
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  throw new InvalidInputError(
    `the local runtime in ${dataDir} was created on base port ${stale}, not ${expected}: run make clean (starts over) or set LOCAL_BASE_PORT=${stale}`,
    { input: 'LOCAL_BASE_PORT', issue: `created on ${stale}` },
  );
}
