/** Where and as whom the engine talks to FiberConnect. */
export interface FiberConnectConfig {
  /** Base URL, e.g. `https://api.fiberconnect.example` (no trailing `/v1`). */
  baseUrl: string;
  /** The customer's bearer token (from SSM SecureString; never logged). */
  token: string;
  /** Per-request timeout, headers and body included. */
  timeoutMs?: number;
  /** Keep-alive connections kept open to the target. */
  connections?: number;
  /** Awaited before every request: the customer's shared rate limit, for callers that do not pace themselves. */
  gate?: () => Promise<unknown>;
}

/** One HTTP request to FiberConnect. */
export interface TargetRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with query, starting with `/v1/`. */
  path: string;
  /** JSON body (serialised here) or raw bytes (sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** The whole exchange ends within this many ms (besides the client's own timeouts): a consumer's call must end before its Lambda does. */
  timeoutMs?: number;
}

/** What FiberConnect answered: status, headers of interest and the parsed body. */
export interface TargetResponse<TBody = unknown> {
  status: number;
  body: TBody;
  replayed: boolean;
  /** Seconds from `Retry-After`, when the target sent one. */
  retryAfterSeconds?: number;
}

/** The error body of every FiberConnect error (docs/fiberconnect-api.md, errors). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: { field: string; issue: string }[];
    existingId?: string;
  };
}

/** A target-side workflow that e-mails end users while ACTIVE. */
export interface Workflow {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
}

/** The customer's notification setting. */
export interface NotificationSettings {
  emailEnabled: boolean;
}
