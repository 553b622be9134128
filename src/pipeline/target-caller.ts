import type { MappedRequest } from '../domain/mapping/index.ts';
import type { Collection } from '../domain/index.ts';
import { type RetryPolicy, TargetError, type TargetRequest, type TargetResponse, type TransientAnswer, withRetries } from '../target/index.ts';
import { boundedCall } from './deadline.ts';
import { classifyDeltaAnswer, type DeltaAnswer } from './delta-update.ts';
import { type CallOutcome, classifyAnswer } from './target-answer.ts';
import type { PendingUpdate, RatePacer, TargetSender } from './types.ts';

/**
 * One delivery's calls to FiberConnect: each at the customer's shared rate,
 * bounded by the delivery's deadline, and tried again on transient answers
 * ({@link withRetries}). A 429 pauses every instance of the customer for its
 * Retry-After (the target says the customer is too fast).
 *
 * @example
 * ```ts
 * const caller = new TargetCaller(client, limiter, { maxAttempts: 3, deadline });
 * const outcome = await caller.create(request, idempotencyKey(customer, collection, request));
 * ```
 */
export class TargetCaller {
  public constructor(
    private readonly client: TargetSender,
    private readonly limiter: RatePacer,
    private readonly policy: RetryPolicy,
  ) {}

  /** Send times for `count` first tries, taken in one limiter call (each first try then leaves at its own slot). */
  public async slots(count: number): Promise<number[]> {
    return this.limiter.acquire(count);
  }

  /** A record's create (POST with its Idempotency-Key) or a document's PUT. */
  public async create(request: MappedRequest<unknown>, idempotencyKey: string | undefined, firstSlot?: number): Promise<CallOutcome> {
    const send: TargetRequest = {
      method: request.method,
      path: request.path,
      body: request.body,
      headers: { ...request.headers },
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    return this.tries(send, firstSlot, (response) => classifyAnswer(response, request));
  }

  /**
   * A delta's PATCH (documents: PUT) of one migrated record with `If-Match`.
   * A record adopted without a known version has it read first (GET at
   * `recordPath`), so the write is still conditional.
   */
  public async update(
    request: MappedRequest<unknown>,
    update: PendingUpdate,
    collection: Collection,
    recordPath: string,
    firstSlot?: number,
  ): Promise<DeltaAnswer> {
    let send = update.send;
    if (update.version === undefined) {
      const version = await this.readVersion(recordPath);
      if (version === undefined) return { status: 'transient', message: `the version of ${update.targetId} could not be read before its update` };
      send = { ...send, headers: { ...send.headers, 'If-Match': `"${version}"` } };
    }
    return this.tries(send, firstSlot, (response) => classifyDeltaAnswer(response, request, update.fields, update.previous, collection));
  }

  /**
   * The version a record has now (`GET`, at the shared rate, once).
   * Undefined when the target does not answer it: whoever writes to the
   * record next reads the version first.
   */
  public async readVersion(path: string): Promise<number | undefined> {
    await this.limiter.acquire(1);
    const bounded = boundedCall({ method: 'GET', path }, this.policy.deadline);
    if (!bounded) return undefined;
    try {
      const response = await this.client.send<{ version?: number }>(bounded);
      return response.status === 200 && typeof response.body?.version === 'number' ? response.body.version : undefined;
    } catch (error) {
      if (error instanceof TargetError) return undefined;
      throw error;
    }
  }

  /** One request, tried while `classify` calls its answer transient (timeouts and dropped connections are). */
  private tries<T extends { status: string }>(
    send: TargetRequest,
    firstSlot: number | undefined,
    classify: (response: TargetResponse<unknown>) => T | TransientAnswer,
  ): Promise<T | TransientAnswer> {
    return withRetries<T>(
      this.policy,
      async (attempt) => {
        if (!(attempt === 1 && firstSlot !== undefined && (await this.limiter.waitFor(firstSlot)))) await this.limiter.acquire(1);
        // The wait for a slot may have used up the delivery's time.
        const bounded = boundedCall({ ...send, headers: { ...send.headers } }, this.policy.deadline);
        if (!bounded) return undefined;
        try {
          return classify(await this.client.send(bounded));
        } catch (error) {
          if (!(error instanceof TargetError)) throw error;
          return { status: 'transient', message: error.message };
        }
      },
      (answer) => this.pauseEveryone(answer),
    );
  }

  /** A 429 with Retry-After: every instance of the customer waits that long. */
  private async pauseEveryone(answer: TransientAnswer): Promise<void> {
    if (answer.pauseEveryone && answer.retryAfterSeconds !== undefined) await this.limiter.pause(answer.retryAfterSeconds);
  }
}
