import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { resolveConfig } from './config.ts';
import { JSON_BODY_LIMIT } from './constants.ts';
import { ApiError, malformed } from './errors.ts';
import { FaultInjector } from './faults.ts';
import { IdempotencyKeys } from './idempotency.ts';
import { RateLimiter } from './rate-limiter.ts';
import { RequestLog } from './request-log.ts';
import { Records } from './records.ts';
import { registerAdminRecordRoutes } from './routes/admin-records.ts';
import { registerAdminRoutes, resetState } from './routes/admin.ts';
import { registerCollectionRoutes } from './routes/collections.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerWorkflowRoutes } from './routes/workflows.ts';
import { dropConnection, logRequest, send } from './routes/shared.ts';
import { StandinStore } from './store.ts';
import type { StandinContext } from './context.ts';
import type { FaultSettings, RateLimitSettings, StandinConfig, StandinOptions } from './types.ts';

/** The bearer token of an Authorization header, or undefined. */
function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function unauthorized(): ApiError {
  return new ApiError(401, 'unauthorized', 'missing or invalid bearer token');
}

/** The answers of injected faults: a refusal, and the transient server errors. */
const FAULT_ERRORS = {
  403: ['forbidden', 'the customer may not use this resource'],
  500: ['internal_error', 'internal server error'],
  502: ['bad_gateway', 'bad gateway'],
  503: ['service_unavailable', 'service temporarily unavailable'],
} as const;

/** Maps anything thrown to the contract's error answers. */
function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const status = (error as FastifyError).statusCode;
  if (status === 413) return new ApiError(413, 'payload_too_large', error.message);
  // Fastify's own 4xx are about the request's form (bad Content-Type, unreadable body).
  if (status !== undefined && status >= 400 && status < 500) return malformed(error.message);
  console.error('FiberConnect stand-in: unexpected error', error);
  return new ApiError(500, 'internal_error', 'internal server error');
}

/**
 * Authentication, rate limit and fault injection of /v1 requests, in this order: a
 * request without a valid token costs nothing; a rate-limited one meets no fault;
 * faults are decided before the route runs, so a 5xx or an early drop changes nothing.
 */
function guardApi(ctx: StandinContext, request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
  request.isApi = true;
  const customer = ctx.customerByToken.get(bearer(request.headers.authorization) ?? '');
  if (customer === undefined) return done(unauthorized());
  request.customer = customer;
  const retryAfter = ctx.limiter.take(customer);
  if (retryAfter > 0) {
    request.logFault = 'rate_limited';
    return done(new ApiError(429, 'rate_limited', 'too many requests', { headers: { 'retry-after': String(retryAfter) } }));
  }
  const plan = ctx.faults.plan(request.url.split('?')[0] ?? request.url);
  request.faultPlan = plan;
  const proceed = (): void => {
    if (plan.errorStatus !== null) {
      const [code, message] = FAULT_ERRORS[plan.errorStatus];
      request.logFault = 'error';
      done(new ApiError(plan.errorStatus, code, message, plan.errorStatus === 503 ? { headers: { 'retry-after': '1' } } : {}));
    } else if (plan.force429) {
      request.logFault = 'force_429';
      done(new ApiError(429, 'rate_limited', 'too many requests', { headers: { 'retry-after': '1' } }));
    } else if (plan.drop === 'before') {
      dropConnection(request, reply, null);
      done();
    } else {
      done();
    }
  };
  const latency = ctx.faults.latencyMs;
  if (latency > 0) setTimeout(proceed, latency);
  else proceed();
}

/** Builds the Fastify app of the stand-in around its state; `listen` is the caller's. */
export function buildApp(ctx: StandinContext): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: JSON_BODY_LIMIT,
    // externalRefs (up to 128 chars, longer once percent-encoded) travel as path parameters.
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    forceCloseConnections: true,
  });
  app.decorate('standin', ctx);
  app.decorateRequest('isApi', false);
  app.decorateRequest('customer', '');
  app.decorateRequest('receivedAt', 0);
  app.decorateRequest('faultPlan', null);
  app.decorateRequest('logFault', null);
  app.decorateRequest('idempotencyKey', null);
  app.decorateRequest('replayed', false);

  // Bodies arrive as bytes: documents are raw, JSON is parsed by the route so that
  // every malformed body gets the contract's 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', (request, reply, done) => {
    request.receivedAt = Date.now();
    if (request.url.startsWith('/v1/')) {
      guardApi(ctx, request, reply, done);
    } else if (request.url.startsWith('/admin/')) {
      done(bearer(request.headers.authorization) === ctx.config.adminToken ? undefined : unauthorized());
    } else {
      done();
    }
  });

  app.addHook('onResponse', (request, reply, done) => {
    if (request.isApi) logRequest(request, reply.statusCode, request.logFault);
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    send(request, reply, apiError.status, apiError.toBody(), apiError.headers);
  });
  app.setNotFoundHandler((request, reply) => {
    send(request, reply, 404, new ApiError(404, 'not_found', `no route ${request.method} ${request.url}`).toBody());
  });

  app.get('/health', async () => ({ status: 'ok' }));
  registerCollectionRoutes(app);
  registerDocumentRoutes(app, '/v1', (request) => request.customer);
  registerJobRoutes(app);
  registerWorkflowRoutes(app);
  registerAdminRoutes(app);
  registerAdminRecordRoutes(app);
  return app;
}

/** A running stand-in. */
export interface RunningStandin {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  config: StandinConfig;
  app: FastifyInstance;
  /** Changes fault settings at runtime (as `PUT /admin/faults`). */
  setFaults(changes: Partial<FaultSettings>): FaultSettings;
  /** Changes the rate limit at runtime (as `PUT /admin/rate-limit`). */
  setRateLimit(changes: Partial<RateLimitSettings>): RateLimitSettings;
  /** Wipes all state (as `POST /admin/reset`). */
  reset(): void;
  /** Stops listening, flushes the request log and closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the FiberConnect stand-in. Options override the defaults (not the
 * environment: use `loadConfig` for that); port 0 takes a free port.
 * @throws ConfigError for invalid options.
 */
export async function startStandin(options: StandinOptions = {}): Promise<RunningStandin> {
  const config = resolveConfig(options);
  const store = new StandinStore(config.dataPath);
  const ctx: StandinContext = {
    config,
    store,
    records: new Records(store, config),
    limiter: new RateLimiter(config.rateLimit),
    faults: new FaultInjector(config.faults),
    idempotency: new IdempotencyKeys(store),
    requestLog: new RequestLog(store),
    customerByToken: new Map(Object.entries(config.tokens).map(([customer, token]) => [token, customer])),
  };
  for (const customer of Object.keys(config.tokens)) store.seedCustomer(customer);
  const app = buildApp(ctx);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    ctx.requestLog.close();
    store.close();
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    config,
    app,
    setFaults(changes) {
      ctx.faults.update(changes);
      return (config.faults = ctx.faults.current);
    },
    setRateLimit(changes) {
      ctx.limiter.update({ ...ctx.limiter.current, ...changes });
      return (config.rateLimit = ctx.limiter.current);
    },
    reset: () => resetState(ctx),
    async close() {
      await app.close();
      ctx.requestLog.close();
      store.close();
    },
  };
}
