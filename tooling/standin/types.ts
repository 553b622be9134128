import type { PATCHABLE_COLLECTIONS, RESOURCE_COLLECTIONS } from './constants.ts';

/** A collection of docs/fiberconnect-api.md holding resources. */
export type ResourceCollection = (typeof RESOURCE_COLLECTIONS)[number];

/** A collection created by POST and changed by PATCH (every one but documents). */
export type PatchableCollection = (typeof PATCHABLE_COLLECTIONS)[number];

/** When an injected connection drop happens: before the request changes state, after it committed, or either. */
export type DropPhase = 'before' | 'after' | 'random';

/** Fault injection knobs; every share is a probability between 0 and 1, drawn per /v1 request. */
export interface FaultSettings {
  /** Added delay before each /v1 request is handled. */
  latencyMs: number;
  /** Share of requests answered 500, 502 or 503 before any state change. */
  errorRate: number;
  /** Share of requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Share of requests answered 429 with Retry-After regardless of the rate limit. */
  force429Rate: number;
  /** Phase of the drops, see {@link DropPhase}. */
  dropPhase: DropPhase;
  /** Seed of the fault dice, for reproducible runs; null draws from Math.random. */
  seed: number | null;
  /**
   * /v1 path prefixes answered 503 (with Retry-After) on every request until
   * the list is emptied: one collection down while the rest work, as an
   * outage of one target service looks (`/v1/planboard-slots`).
   */
  failPaths: string[];
  /**
   * What a path under `failPaths` answers: 503 (a transient outage, with
   * Retry-After) or 403 `forbidden` (a refusal no retry gets past).
   */
  failStatus: 403 | 503;
}

/** The per-customer token bucket; a rate of 0 switches the limit off. */
export interface RateLimitSettings {
  /** Requests per second refilled. */
  rate: number;
  /** Bucket size: requests allowed at once. */
  burst: number;
}

/** Everything the stand-in needs to run. */
export interface StandinConfig {
  port: number;
  host: string;
  /** SQLite file, or `:memory:`. */
  dataPath: string;
  /** Bearer token per customer key. */
  tokens: Record<string, string>;
  adminToken: string;
  rateLimit: RateLimitSettings;
  /** How long after its work order's creation a planboard-preparation job is DONE. */
  jobDelayMs: number;
  faults: FaultSettings;
}

/** Options of {@link startStandin}: any part of the config; the rest takes the defaults. */
export type StandinOptions = Partial<Omit<StandinConfig, 'faults' | 'rateLimit'>> & {
  faults?: Partial<FaultSettings>;
  rateLimit?: Partial<RateLimitSettings>;
};

/** A stored resource as the API returns it. */
export interface Resource {
  id: string;
  externalRef: string;
  createdAt: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
  /** 1 at creation, +1 on every change (by the API or by a person). */
  version: number;
  [field: string]: unknown;
}

/** One line of the request log (`GET /admin/requests`). */
export interface RequestLogEntry {
  /** Epoch milliseconds when the request arrived. */
  ts: number;
  customer: string | null;
  method: string;
  path: string;
  /** The answer's status; null when the connection was dropped before an answer existed. */
  status: number | null;
  idempotencyKey: string | null;
  replayed: boolean;
  /** The injected fault, if any: `error`, `force_429`, `rate_limited`, `drop_before`, `drop_after`. */
  fault: string | null;
  durationMs: number;
}

/** What the fault dice decided for one request. */
export interface FaultPlan {
  errorStatus: 403 | 500 | 502 | 503 | null;
  force429: boolean;
  drop: 'before' | 'after' | null;
}
