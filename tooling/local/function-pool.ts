import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { InvalidInputError } from '../../src/domain/index.ts';
import { LAMBDA_DEFAULTS, MAX_INVOKE_PAYLOAD_BYTES } from './constants.ts';
import { LambdaInstance, type InstanceMemory, type InstanceOutcome } from './lambda-instance.ts';
import type { MetricsLog } from './metrics-log.ts';
import type { InvocationContext, LocalFunctionConfig } from './types.ts';

/** One invocation's answer, before it is put on the wire. */
export interface PoolResult {
  requestId: string;
  outcome: InstanceOutcome;
}

/** What the live instances of one function hold together, in bytes. */
export interface PoolMemory extends InstanceMemory {
  instances: number;
}

/**
 * The execution environments of one function: warm instances are reused
 * (most recently used first), new ones start only while fewer than
 * `concurrency` invocations run, and invocations beyond that wait their turn,
 * as under reserved concurrency. An instance idle for `idleSeconds` is
 * reclaimed, unless it is the function's last: its thread ends, and the next
 * invocation past the warm ones starts a new instance (a cold start, as on Lambda).
 */
export class FunctionPool {
  /** The function's name. */
  public readonly name: string;
  /** Seconds an invocation may run. */
  public readonly timeoutSeconds: number;
  readonly #config: LocalFunctionConfig;
  readonly #concurrency: number;
  readonly #arn: string;
  readonly #region: string;
  /** Idle instances, the longest idle first (warm ones are taken from the end). */
  readonly #idle: LambdaInstance[] = [];
  readonly #idleSince = new WeakMap<LambdaInstance, number>();
  readonly #idleMs: number;
  readonly #reaper: NodeJS.Timeout;
  readonly #instances = new Set<LambdaInstance>();
  readonly #waiting: Array<() => void> = [];
  readonly #metricsLog: MetricsLog | undefined;
  /** Closed: no instance starts any more. */
  #closed = false;
  #running = 0;
  /** Calls of {@link prewarm} so far: the instances asked for ahead. */
  #prewarmed = 0;

  /**
   * @param metricsLog - where the EMF lines its instances write go (the runtime's `metrics.jsonl`); none: their stdout is the host's
   */
  public constructor(name: string, config: LocalFunctionConfig, region: string, accountId: string, metricsLog?: MetricsLog) {
    this.name = name;
    this.#metricsLog = metricsLog;
    this.#config = config;
    this.timeoutSeconds = config.timeoutSeconds ?? LAMBDA_DEFAULTS.timeoutSeconds;
    this.#concurrency = config.concurrency ?? LAMBDA_DEFAULTS.concurrency;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new InvalidInputError(`concurrency of ${name} must be a positive integer, got ${this.#concurrency}`, {
        input: `${name}.concurrency`,
        issue: 'out of range',
      });
    }
    if (!(this.timeoutSeconds > 0)) {
      throw new InvalidInputError(`timeoutSeconds of ${name} must be positive, got ${this.timeoutSeconds}`, {
        input: `${name}.timeoutSeconds`,
        issue: 'out of range',
      });
    }
    this.#idleMs = (config.idleSeconds ?? LAMBDA_DEFAULTS.idleSeconds) * 1000;
    if (!(this.#idleMs > 0)) {
      throw new InvalidInputError(`idleSeconds of ${name} must be positive, got ${config.idleSeconds}`, {
        input: `${name}.idleSeconds`,
        issue: 'out of range',
      });
    }
    this.#region = region;
    this.#arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    // Unref'd: a pool nobody closed must not keep its process alive.
    this.#reaper = setInterval(() => this.#reclaimIdle(), Math.min(this.#idleMs, 10_000) / 2).unref();
  }

  /** The function's ARN. */
  public get arn(): string {
    return this.#arn;
  }

  /** Runs one invocation on a warm or new instance, waiting for a free slot first. */
  public async invoke(payload: string): Promise<PoolResult> {
    const requestId = randomUUID();
    await this.#acquire();
    const instance = this.#warm() ?? this.#start();
    try {
      const outcome = await instance.invoke(payload, this.#context(requestId, instance), this.timeoutSeconds * 1000);
      return { requestId, outcome: outcome.ok ? this.#checkSize(outcome, requestId) : outcome };
    } finally {
      if (instance.alive) this.#makeIdle(instance);
      else this.#instances.delete(instance);
      this.#release();
    }
  }

  /**
   * Starts one instance ahead of its first invocation, as provisioned
   * concurrency does on Lambda: its init (importing a 3 MB bundle, about a
   * second here) then runs while the run is still being prepared, not in the
   * middle of its first step. The n-th call starts one unless the pool has n
   * instances already (a function whose first step runs n at once is
   * prewarmed n times). Settles when the instance's init has ended.
   */
  public async prewarm(): Promise<void> {
    this.#prewarmed += 1;
    // A prewarm still queued when the runtime closes (a command that stopped at once) must start nothing: a new worker would keep the process alive.
    if (this.#closed || this.#instances.size >= this.#prewarmed) return;
    const instance = this.#start('provisioned-concurrency');
    this.#makeIdle(instance);
    await instance.initialised;
  }

  /** How many instances live now and what their threads hold together, in bytes. */
  public async memory(): Promise<PoolMemory> {
    const readings = await Promise.all([...this.#instances].map((instance) => instance.memory()));
    const sum = (part: keyof InstanceMemory): number => readings.reduce((total, reading) => total + reading[part], 0);
    return {
      instances: this.#instances.size,
      heapUsedBytes: sum('heapUsedBytes'),
      heapCommittedBytes: sum('heapCommittedBytes'),
      externalBytes: sum('externalBytes'),
    };
  }

  /** Terminates every instance; invocations still running end with Runtime.ExitError. */
  public close(): void {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const instance of this.#instances) instance.terminate();
    this.#instances.clear();
    this.#idle.length = 0;
  }

  async #acquire(): Promise<void> {
    if (this.#running < this.#concurrency) {
      this.#running += 1;
      return;
    }
    // The slot is handed over by #release, so #running stays at the cap.
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running -= 1;
  }

  #makeIdle(instance: LambdaInstance): void {
    this.#idleSince.set(instance, Date.now());
    this.#idle.push(instance);
  }

  /**
   * Ends the instances idle for `idleSeconds` or longer (they sit at the
   * front of the idle list), all but one: a function's last instance stays
   * warm, so a step that runs once at the start and once at the end of a run
   * is not a cold start twice.
   */
  #reclaimIdle(): void {
    const now = Date.now();
    while (this.#idle.length > 0 && this.#instances.size > 1 && now - (this.#idleSince.get(this.#idle[0]!) ?? now) >= this.#idleMs) {
      const instance = this.#idle.shift()!;
      instance.terminate();
      this.#instances.delete(instance);
    }
  }

  /** The most recently used instance still alive; one that died while idle (a stray rejection) is dropped. */
  #warm(): LambdaInstance | undefined {
    for (let instance = this.#idle.pop(); instance; instance = this.#idle.pop()) {
      if (instance.alive) return instance;
      this.#instances.delete(instance);
    }
    return undefined;
  }

  #start(initializationType: 'on-demand' | 'provisioned-concurrency' = 'on-demand'): LambdaInstance {
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
    const memory = String(this.#config.memorySizeMb ?? LAMBDA_DEFAULTS.memorySizeMb);
    const handler = this.#config.handler ?? LAMBDA_DEFAULTS.handler;
    // Lambda's reserved variables win over the function's own, as on AWS.
    const env: Record<string, string> = {
      AWS_REGION: this.#region,
      AWS_DEFAULT_REGION: this.#region,
      ...this.#config.environment,
      AWS_LAMBDA_FUNCTION_NAME: this.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: initializationType,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: dirname(this.#config.bundlePath),
      _HANDLER: `index.${handler}`,
    };
    const instance = new LambdaInstance(logStreamName, this.#config.bundlePath, handler, env, this.#metricsLog);
    this.#instances.add(instance);
    return instance;
  }

  #context(requestId: string, instance: LambdaInstance): Omit<InvocationContext, 'deadlineMs'> {
    return {
      awsRequestId: requestId,
      functionName: this.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.#arn,
      memoryLimitInMB: String(this.#config.memorySizeMb ?? LAMBDA_DEFAULTS.memorySizeMb),
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: instance.logStreamName,
    };
  }

  /** Lambda refuses responses over 6 MB after the handler ran. */
  #checkSize(outcome: InstanceOutcome & { ok: true }, requestId: string): InstanceOutcome {
    const size = Buffer.byteLength(outcome.payload);
    if (size <= MAX_INVOKE_PAYLOAD_BYTES) return outcome;
    return {
      ok: false,
      fatal: false,
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `RequestId: ${requestId} Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_INVOKE_PAYLOAD_BYTES} bytes).`,
        trace: [],
      },
    };
  }
}
