/** A scripted FiberConnect: each request gets the answer a test's responder gives, and every request is kept. */
import type { TargetRequest, TargetResponse } from '../../src/target/types.ts';
import type { TargetSender } from '../../src/pipeline/types.ts';

/** Answers one request; the `attempt` counts the requests to the same path so far (1 for the first). Throw a TargetError for a timeout or a dropped connection. */
export type Responder = (request: TargetRequest, attempt: number) => TargetResponse;

/** A 2xx answer with a body. */
export function created(body: unknown, status = 201): TargetResponse {
  return { status, body, replayed: false };
}

/** An error answer in the contract's shape. */
export function refused(status: number, code: string, extra: { existingId?: string; field?: string; retryAfterSeconds?: number } = {}): TargetResponse {
  const error = {
    code,
    message: code.replace(/_/g, ' '),
    ...(extra.existingId ? { existingId: extra.existingId } : {}),
    ...(extra.field ? { details: [{ field: extra.field, issue: 'bad' }] } : {}),
  };
  return { status, body: { error }, replayed: false, ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}) };
}

export class FakeFiberConnect implements TargetSender {
  public readonly requests: TargetRequest[] = [];

  /** By default every create succeeds with the id `id-<n>`. */
  public constructor(private responder: Responder = () => created({ id: `id-${Math.random().toString(36).slice(2, 8)}` })) {}

  public answer(responder: Responder): void {
    this.responder = responder;
  }

  public async send<TBody = unknown>(request: TargetRequest): Promise<TargetResponse<TBody>> {
    this.requests.push(request);
    const attempt = this.requests.filter((r) => r.path === request.path).length;
    return this.responder(request, attempt) as TargetResponse<TBody>;
  }

  /** Paths called, in order. */
  public get paths(): string[] {
    return this.requests.map((request) => request.path);
  }
}
