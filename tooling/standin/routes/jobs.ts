import type { FastifyInstance } from 'fastify';
import { JOB_STATUSES } from '../constants.ts';
import { malformed, notFound } from '../errors.ts';
import { encodeCursor, pageQuery, queryString, send } from './shared.ts';

type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * `GET /v1/jobs?type=&status=` → `{items, total, nextCursor}` and `GET /v1/jobs/{id}`.
 * A job is DONE once its ready time has passed: computed on read, nothing runs in the background.
 */
export function registerJobRoutes(app: FastifyInstance): void {
  const { store } = app.standin;

  app.get<{ Querystring: Record<string, unknown> }>('/v1/jobs', (request, reply) => {
    const type = queryString(request.query, 'type') ?? null;
    const status = queryString(request.query, 'status') ?? null;
    if (status !== null && !JOB_STATUSES.includes(status as JobStatus)) {
      throw malformed('invalid status', [{ field: 'status', issue: `must be one of ${JOB_STATUSES.join(', ')}` }]);
    }
    const { afterSeq, limit } = pageQuery(request.query);
    const { items, total } = store.listJobs(request.customer, { type, status: status as JobStatus | null }, Date.now(), afterSeq, limit + 1);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = items.length > limit && last ? encodeCursor(last.seq) : null;
    send(request, reply, 200, { items: page.map((row) => row.job), total, nextCursor });
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id', (request, reply) => {
    const job = store.getJob(request.customer, request.params.id, Date.now());
    if (!job) throw notFound('jobs');
    send(request, reply, 200, job);
  });
}
