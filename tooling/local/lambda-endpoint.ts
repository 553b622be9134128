import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { DEFAULT_LAMBDA_PORT, LOCAL_ACCOUNT_ID, LOCAL_HOST, LOCAL_REGION, MAX_INVOKE_PAYLOAD_BYTES } from './constants.ts';
import { AwsApiError, FunctionNotFoundError } from './errors.ts';
import { FunctionPool, type PoolMemory, type PoolResult } from './function-pool.ts';
import type { InvokeResult, LambdaEndpointOptions, LambdaInvoker } from './types.ts';
import type { RunTimeline } from './timeline.ts';

/** `name`, `name:qualifier`, `123456789012:function:name`, or the full ARN: Invoke accepts them all. */
const FUNCTION_NAME = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/**
 * The function name inside whatever form of FunctionName Invoke was given.
 *
 * @example functionNameOf('arn:aws:lambda:eu-west-1:000000000000:function:consumer') === 'consumer'
 */
export function functionNameOf(functionName: string): string {
  return FUNCTION_NAME.exec(functionName)?.[1] ?? functionName;
}

/**
 * A local Lambda: the Invoke REST API
 * (`POST /2015-03-31/functions/{FunctionName}/invocations`) in front of one
 * {@link FunctionPool} per function, each running the same esbuild bundles
 * AWS runs in warm worker threads. Answers as Lambda does, so
 * `@aws-sdk/client-lambda` and aws-local-stepfunctions work unchanged with
 * AWS_ENDPOINT_URL_LAMBDA pointing here; {@link invoke} offers the same pools
 * in-process (the SQS event-source poller uses it).
 *
 * Only RequestResponse and DryRun invocations are served: nothing in the
 * engine invokes asynchronously, and Event's retries are not emulated.
 */
export class LambdaEndpoint implements LambdaInvoker {
  readonly #pools = new Map<string, FunctionPool>();
  readonly #port: number;
  readonly #region: string;
  readonly #accountId: string;
  readonly #timeline: RunTimeline | undefined;
  #server: FastifyInstance | undefined;
  #url: string | undefined;

  public constructor(options: LambdaEndpointOptions) {
    this.#port = options.port ?? DEFAULT_LAMBDA_PORT;
    this.#region = options.region ?? LOCAL_REGION;
    this.#accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.#timeline = options.timeline;
    for (const [name, config] of Object.entries(options.functions)) {
      this.#pools.set(name, new FunctionPool(name, config, this.#region, this.#accountId, options.metricsLog));
    }
  }

  /** The endpoint's URL, for AWS_ENDPOINT_URL_LAMBDA. Only after {@link start}. */
  public get url(): string {
    if (!this.#url) throw new Error('LambdaEndpoint is not started');
    return this.#url;
  }

  /**
   * Invokes a function synchronously, in-process, through the same pool as
   * the HTTP API. A failed invocation is not thrown: it comes back with
   * `functionError` and the error document as payload, as from Lambda.
   *
   * @throws FunctionNotFoundError when no such function is served
   */
  public async invoke(functionName: string, event: unknown): Promise<InvokeResult> {
    const result = await this.#timed(functionName, this.#pool(functionName), JSON.stringify(event) ?? 'null');
    return result.outcome.ok
      ? { requestId: result.requestId, payload: JSON.parse(result.outcome.payload) }
      : { requestId: result.requestId, payload: result.outcome.error, functionError: 'Unhandled' };
  }

  /**
   * Starts one instance of each named function ahead of its first
   * invocation ({@link FunctionPool.prewarm}), in the order given and two at
   * a time: all at once would make the first step wait for every init.
   */
  public async prewarm(functionNames: readonly string[]): Promise<void> {
    const queue = [...functionNames];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name; name = queue.shift()) await this.#pools.get(functionNameOf(name))?.prewarm();
    };
    await Promise.all([worker(), worker()]);
  }

  /** Per function with live instances: how many, and what their threads hold ({@link FunctionPool.memory}). */
  public async memory(): Promise<Record<string, PoolMemory>> {
    const entries = await Promise.all([...this.#pools].map(async ([name, pool]) => [name, await pool.memory()] as const));
    return Object.fromEntries(entries.filter(([, usage]) => usage.instances > 0));
  }

  /** The function's timeout in seconds, undefined for a function not served. */
  public timeoutSecondsOf(functionName: string): number | undefined {
    return this.#pools.get(functionNameOf(functionName))?.timeoutSeconds;
  }

  /** Listens on 127.0.0.1 (port 0 picks a free one). */
  public async start(): Promise<string> {
    // The limit is checked by the route, to answer with Lambda's error rather than Fastify's.
    const server = Fastify({ logger: false, bodyLimit: MAX_INVOKE_PAYLOAD_BYTES * 2 });
    server.removeAllContentTypeParsers();
    server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    server.post<{ Params: { functionName: string } }>('/2015-03-31/functions/:functionName/invocations', async (request, reply) => {
      try {
        return await this.#serve(
          request.params.functionName,
          String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
          (request.body as string | undefined) ?? '',
          reply,
        );
      } catch (error) {
        if (!(error instanceof AwsApiError)) throw error;
        const { type, status } = error.context;
        return reply.code(status).header('x-amzn-errortype', type).send({ Type: 'User', Message: error.message });
      }
    });
    const address = await server.listen({ port: this.#port, host: LOCAL_HOST });
    this.#server = server;
    this.#url = address;
    return address;
  }

  /** Stops listening and terminates every instance. */
  public async close(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
    for (const pool of this.#pools.values()) pool.close();
  }

  async #serve(functionName: string, invocationType: string, body: string, reply: FastifyReply): Promise<FastifyReply> {
    const pool = this.#pools.get(functionNameOf(functionName));
    if (!pool) {
      throw new AwsApiError(`Function not found: arn:aws:lambda:${this.#region}:${this.#accountId}:function:${functionNameOf(functionName)}`, {
        type: 'ResourceNotFoundException',
        status: 404,
      });
    }
    if (invocationType === 'DryRun') return reply.code(204).send();
    if (invocationType !== 'RequestResponse') {
      throw new AwsApiError(`InvocationType ${invocationType} is not served by the local Lambda endpoint`, {
        type: 'InvalidParameterValueException',
        status: 400,
      });
    }
    if (Buffer.byteLength(body) > MAX_INVOKE_PAYLOAD_BYTES) {
      throw new AwsApiError(`Request must be smaller than ${MAX_INVOKE_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, {
        type: 'RequestEntityTooLargeException',
        status: 413,
      });
    }
    // Lambda hands an empty payload to the handler as {}.
    const payload = body.trim() === '' ? '{}' : body;
    try {
      JSON.parse(payload);
    } catch {
      throw new AwsApiError('Could not parse request body into json', { type: 'InvalidRequestContentException', status: 400 });
    }
    return this.#answer(await this.#timed(functionName, pool, payload), reply);
  }

  async #timed(functionName: string, pool: FunctionPool, payload: string): Promise<PoolResult> {
    const done = this.#timeline?.start('lambda', functionNameOf(functionName).replace(/^.*-local-/, ''));
    try {
      return await pool.invoke(payload);
    } finally {
      done?.();
    }
  }

  #answer(result: PoolResult, reply: FastifyReply): FastifyReply {
    reply.code(200).header('content-type', 'application/json').header('x-amzn-requestid', result.requestId).header('x-amz-executed-version', '$LATEST');
    if (result.outcome.ok) return reply.send(result.outcome.payload);
    return reply.header('x-amz-function-error', 'Unhandled').send(JSON.stringify(result.outcome.error));
  }

  #pool(functionName: string): FunctionPool {
    const name = functionNameOf(functionName);
    const pool = this.#pools.get(name);
    if (!pool) throw new FunctionNotFoundError(`function ${name} is not served by the local Lambda endpoint`, { functionName: name });
    return pool;
  }
}
