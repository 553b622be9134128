import type { FastifyInstance } from 'fastify';
import { faultIssues, rateLimitIssues } from '../config.ts';
import { RESOURCE_COLLECTIONS, REQUEST_LOG_MAX_ITEMS } from '../constants.ts';
import { malformed, validationFailed } from '../errors.ts';
import type { FaultSettings, RateLimitSettings, Resource, ResourceCollection } from '../types.ts';
import { jsonBody, queryString } from './shared.ts';

type AdminQuery = { Querystring: Record<string, unknown> };

/** A non-negative integer query parameter, or the fallback. */
function integerParam(query: Record<string, unknown>, name: string, fallback: number): number {
  const raw = queryString(query, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw malformed(`invalid ${name}`, [{ field: name, issue: 'must be an integer ≥ 0' }]);
  return Number(raw);
}

/**
 * The admin API under `/admin`, for tests and demos (guarded by the admin token,
 * never rate limited nor fault-injected, not in the request log): request log,
 * counts, full state, runtime fault and rate-limit settings, reset.
 */
export function registerAdminRoutes(app: FastifyInstance): void {
  const ctx = app.standin;
  const { store } = ctx;

  /** Configured customers and every customer with state. */
  const customers = (): string[] => [...new Set([...Object.keys(ctx.config.tokens), ...store.customers()])].sort();

  app.get<AdminQuery>('/admin/requests', async (request) => {
    const since = integerParam(request.query, 'since', 0);
    const limit = Math.min(integerParam(request.query, 'limit', REQUEST_LOG_MAX_ITEMS), REQUEST_LOG_MAX_ITEMS);
    const customer = queryString(request.query, 'customer') ?? null;
    return { items: ctx.requestLog.query(since, customer, limit) };
  });

  app.get('/admin/counts', async () => {
    const counts: Record<string, Record<ResourceCollection, number>> = {};
    for (const customer of customers()) {
      counts[customer] = Object.fromEntries(RESOURCE_COLLECTIONS.map((c) => [c, 0])) as Record<ResourceCollection, number>;
    }
    for (const { customer, collection, count } of store.counts()) counts[customer]![collection] = count;
    return counts;
  });

  app.get<AdminQuery>('/admin/state', async (request) => {
    const only = queryString(request.query, 'customer');
    const now = Date.now();
    const state: Record<string, unknown> = {};
    for (const customer of only === undefined ? customers() : [only]) {
      const resources = Object.fromEntries(RESOURCE_COLLECTIONS.map((c) => [c, [] as Resource[]]));
      for (const { collection, resource } of store.allResources(customer)) resources[collection]!.push(resource);
      const triggers = store.listTriggers(customer);
      state[customer] = {
        resources,
        jobs: store.listJobs(customer, { type: null, status: null }, now, 0, Number.MAX_SAFE_INTEGER).items.map((j) => j.job),
        workflows: store.listWorkflows(customer, null),
        notifications: { emailEnabled: store.emailEnabled(customer) },
        workflowTriggers: triggers,
        emails: triggers.filter((t) => t.emailSent).map((t) => ({ workflowId: t.workflowId, workOrderId: t.workOrderId, at: t.at })),
        idempotencyKeys: store.idempotencyKeyCount(customer),
      };
    }
    return {
      customers: state,
      faults: ctx.faults.current,
      rateLimit: ctx.limiter.current,
      jobDelayMs: ctx.config.jobDelayMs,
    };
  });

  app.get('/admin/faults', async () => ctx.faults.current);

  app.put('/admin/faults', async (request) => {
    const body = jsonBody(request);
    const issues = faultIssues(body);
    if (issues.length > 0) throw validationFailed(issues);
    ctx.faults.update(body as Partial<FaultSettings>);
    ctx.config.faults = ctx.faults.current;
    return ctx.faults.current;
  });

  app.get('/admin/rate-limit', async () => ctx.limiter.current);

  app.put('/admin/rate-limit', async (request) => {
    const body = jsonBody(request);
    const issues = rateLimitIssues(body);
    if (issues.length > 0) throw validationFailed(issues);
    ctx.limiter.update({ ...ctx.limiter.current, ...(body as Partial<RateLimitSettings>) });
    ctx.config.rateLimit = ctx.limiter.current;
    return ctx.limiter.current;
  });

  app.post('/admin/reset', async (_request, reply) => {
    resetState(ctx);
    return reply.code(204).send();
  });
}

/** Wipes all state and gives every configured customer its initial workflows and e-mail setting. */
export function resetState(ctx: FastifyInstance['standin']): void {
  ctx.requestLog.clear();
  ctx.store.reset();
  for (const customer of Object.keys(ctx.config.tokens)) ctx.store.seedCustomer(customer);
  ctx.limiter.update(ctx.limiter.current);
}
