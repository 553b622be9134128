import { Pool } from 'undici';
import {
  type ApiErrorBody,
  type FiberConnectConfig,
  type NotificationSettings,
  TargetError,
  type TargetRequest,
  type TargetResponse,
  type Workflow,
} from '../index.ts';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTIONS = 16;

/**
 * An answer's body as JSON, or undefined when it is none: a gateway in front
 * of FiberConnect answers HTML (a 401 or 403 login page, a 502), and the
 * status is what tells what happened, never a failed parse (which would make
 * a refused token look like no answer at all).
 */
function jsonOrUndefined(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A thin FiberConnect API client on an undici keep-alive pool.
 * Create one per customer at module scope so warm Lambda instances reuse its connections.
 *
 * @example
 * const client = new FiberConnectClient({ baseUrl: 'https://api.fiberconnect.example', token, timeoutMs: 10_000 });
 * const answer = await client.send({ method: 'POST', path: '/v1/projects', body: project, idempotencyKey: externalRef }); // any status
 * const workflows = await client.listActiveWorkflows(); // a non-2xx answer throws TargetError
 * await client.close();
 */
export class FiberConnectClient {
  private readonly pool: Pool;
  /** Path prefix of the base URL (empty when the API sits at the root). */
  private readonly basePath: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly gate?: () => Promise<unknown>;

  public constructor(config: FiberConnectConfig) {
    const url = new URL(config.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: config.connections ?? DEFAULT_CONNECTIONS, pipelining: 1 });
    this.authorization = `Bearer ${config.token}`;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.gate = config.gate;
  }

  /**
   * Sends one request and returns the answer whatever its status.
   * Throws {@link TargetError} only when no answer came (timeout, dropped connection).
   */
  public async send<TBody = unknown>(request: TargetRequest): Promise<TargetResponse<TBody>> {
    const headers: Record<string, string> = { authorization: this.authorization, ...request.headers };
    let body: string | Uint8Array | undefined;
    if (request.body instanceof Uint8Array) {
      body = request.body;
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    await this.gate?.();
    try {
      const response = await this.pool.request({
        method: request.method,
        path: this.basePath + request.path,
        headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        // The whole exchange, headers and body, within the caller's bound.
        ...(request.timeoutMs !== undefined ? { signal: AbortSignal.timeout(Math.max(1, request.timeoutMs)) } : {}),
      });
      const text = await response.body.text();
      const retryAfter = Number(response.headers['retry-after']);
      return {
        status: response.statusCode,
        body: jsonOrUndefined(text) as TBody,
        replayed: response.headers['idempotent-replayed'] === 'true',
        ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
      };
    } catch (error) {
      throw new TargetError(`no answer from FiberConnect: ${(error as Error).message}`, { method: request.method, path: request.path }, { cause: error });
    }
  }

  /** Like {@link send}, but a non-2xx answer becomes a {@link TargetError}. */
  public async call<TBody = unknown>(request: TargetRequest): Promise<TBody> {
    const response = await this.send<TBody | ApiErrorBody>(request);
    if (response.status >= 200 && response.status < 300) return response.body as TBody;
    const error = (response.body as ApiErrorBody | undefined)?.error;
    throw new TargetError(`FiberConnect answered ${response.status} to ${request.method} ${request.path}: ${error?.message ?? 'no message'}`, {
      method: request.method,
      path: request.path,
      status: response.status,
      code: error?.code,
      existingId: error?.existingId,
      retryAfterSeconds: response.retryAfterSeconds,
    });
  }

  /** The workflows that are ACTIVE now. */
  public async listActiveWorkflows(): Promise<Workflow[]> {
    return (await this.call<{ items: Workflow[] }>({ method: 'GET', path: '/v1/workflows?status=ACTIVE' })).items;
  }

  /** Switches one workflow off or on (idempotent on the target). */
  public async setWorkflowActive(id: string, active: boolean): Promise<void> {
    await this.call({ method: 'POST', path: `/v1/workflows/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}` });
  }

  /** The customer's notification setting. */
  public async getNotifications(): Promise<NotificationSettings> {
    return this.call<NotificationSettings>({ method: 'GET', path: '/v1/settings/notifications' });
  }

  /** Replaces the customer's notification setting. */
  public async putNotifications(settings: NotificationSettings): Promise<void> {
    await this.call({ method: 'PUT', path: '/v1/settings/notifications', body: settings });
  }

  /** How many planboard-preparation jobs are still pending. */
  public async countPendingPlanboardJobs(): Promise<number> {
    return (await this.call<{ total: number }>({ method: 'GET', path: '/v1/jobs?type=PLANBOARD_PREPARATION&status=PENDING' })).total;
  }

  /** Closes the keep-alive connections (CLI and tests; Lambda instances keep them). */
  public async close(): Promise<void> {
    await this.pool.close();
  }
}
