import type { FaultInjector } from './faults.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { RequestLog } from './request-log.ts';
import type { StandinStore } from './store.ts';
import type { FaultPlan, StandinConfig } from './types.ts';

/** Everything a route needs: the config (faults and rate limit change at runtime) and the stateful parts. */
export interface StandinContext {
  config: StandinConfig;
  store: StandinStore;
  limiter: RateLimiter;
  faults: FaultInjector;
  idempotency: IdempotencyKeys;
  requestLog: RequestLog;
  /** Customer key per bearer token. */
  customerByToken: Map<string, string>;
  /** Path prefixes whose /v1 requests answer 503 every time (`PUT /admin/outages`): one part of the API down. */
  outages: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The stand-in's state and settings, for routes and hooks. */
    standin: StandinContext;
  }
  interface FastifyRequest {
    /** Whether this is an authenticated-API (/v1) request: logged, rate limited, fault-injected. */
    isApi: boolean;
    /** The customer the bearer token belongs to ('' before authentication). */
    customer: string;
    /** Epoch ms of arrival, for the request log. */
    receivedAt: number;
    /** What the fault dice decided; null for requests that are not fault-injected. */
    faultPlan: FaultPlan | null;
    /** The fault to record in the request log. */
    logFault: string | null;
    idempotencyKey: string | null;
    /** Whether the answer is a stored one (Idempotent-Replayed). */
    replayed: boolean;
  }
}
