import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../constants.ts';
import { malformed } from '../errors.ts';
import { fingerprint, readIdempotencyKey } from '../idempotency.ts';

/** What a route answers before it is sent. */
export interface Answer {
  status: number;
  body: unknown;
}

/** Writes the request's line in the request log. */
export function logRequest(request: FastifyRequest, status: number | null, fault: string | null): void {
  request.server.standin.requestLog.append({
    ts: request.receivedAt,
    customer: request.customer || null,
    method: request.method,
    path: request.url.split('?', 1)[0] ?? request.url,
    status,
    idempotencyKey: request.idempotencyKey,
    replayed: request.replayed,
    fault,
    durationMs: Date.now() - request.receivedAt,
  });
}

/**
 * Destroys the connection without an answer: what a client sees when a load balancer
 * or the network fails. `status` is what the server had decided (null: before processing).
 */
export function dropConnection(request: FastifyRequest, reply: FastifyReply, status: number | null): void {
  reply.hijack();
  request.raw.socket.destroy();
  logRequest(request, status, status === null ? 'drop_before' : 'drop_after');
}

/**
 * Sends an answer: a serialised JSON string, raw bytes, or a value to serialise.
 * A request whose fault plan says "drop after" loses its connection here instead,
 * after its change was committed.
 */
export function send(request: FastifyRequest, reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (request.faultPlan?.drop === 'after') {
    dropConnection(request, reply, status);
    return;
  }
  reply.code(status).headers(headers);
  if (status === 204) reply.send();
  else if (typeof body === 'string') reply.type('application/json; charset=utf-8').send(body);
  else reply.send(body);
}

/**
 * The request body parsed as JSON.
 * @throws ApiError 400 when it is missing, not JSON, or sent with another Content-Type.
 */
export function jsonBody(request: FastifyRequest): unknown {
  const raw = request.body;
  if (!(raw instanceof Buffer) || raw.length === 0) throw malformed('a JSON body is required');
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw malformed('Content-Type must be application/json');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw malformed('the body is not valid JSON');
  }
}

/**
 * Answers a POST with the rules of docs/fiberconnect-api.md (idempotency, externalRef): an Idempotency-Key replays the
 * stored answer of the same request, and `run` (the change) commits in one transaction
 * with the stored answer, so a drop after the commit can be retried safely.
 */
export function answerPost(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (body: unknown) => Answer,
  options: { bodyRequired: boolean } = { bodyRequired: true },
): void {
  const { store, idempotency } = request.server.standin;
  const key = readIdempotencyKey(request.headers);
  request.idempotencyKey = key;
  const body = options.bodyRequired || (request.body instanceof Buffer && request.body.length > 0) ? jsonBody(request) : undefined;
  const customer = request.customer;
  const requestFingerprint = key === null ? '' : fingerprint(request.method, request.url.split('?', 1)[0] ?? '', body);
  const answer = store.transaction(() => {
    const stored = key === null ? null : idempotency.replay(customer, key, requestFingerprint);
    if (stored) {
      request.replayed = true;
      return stored;
    }
    const result = run(body);
    const text = { status: result.status, body: JSON.stringify(result.body) };
    if (key !== null) idempotency.remember(customer, key, requestFingerprint, text);
    return text;
  });
  send(request, reply, answer.status, answer.body, request.replayed ? { 'idempotent-replayed': 'true' } : {});
}

/** A list position as an opaque cursor. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

/**
 * `limit` and `cursor` of a list query.
 * @throws ApiError 400 naming the bad parameter.
 */
export function pageQuery(query: Record<string, unknown>): { afterSeq: number; limit: number } {
  let limit = DEFAULT_PAGE_LIMIT;
  if (query.limit !== undefined) {
    const value = typeof query.limit === 'string' && /^\d+$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(value >= 1 && value <= MAX_PAGE_LIMIT)) {
      throw malformed('invalid limit', [{ field: 'limit', issue: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` }]);
    }
    limit = value;
  }
  let afterSeq = 0;
  if (query.cursor !== undefined) {
    const decoded = typeof query.cursor === 'string' ? Buffer.from(query.cursor, 'base64url').toString() : '';
    const match = /^s(\d+)$/.exec(decoded);
    if (!match?.[1]) throw malformed('invalid cursor', [{ field: 'cursor', issue: 'is not a cursor of this list' }]);
    afterSeq = Number(match[1]);
  }
  return { afterSeq, limit };
}

/** A single-valued string query parameter, or undefined. */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw malformed(`${name} must be given once`, [{ field: name, issue: 'must be given once' }]);
}
