import type { FastifyInstance } from 'fastify';
import { WORKFLOW_STATUSES } from '../constants.ts';
import { malformed, notFound, validationFailed } from '../errors.ts';
import type { Workflow } from '../store.ts';
import { answerPost, jsonBody, queryString, send } from './shared.ts';

/**
 * Workflows (`GET /v1/workflows?status=`, `POST /v1/workflows/{id}/deactivate|activate`)
 * and the e-mail setting (`GET|PUT /v1/settings/notifications`) (docs/fiberconnect-api.md, workflows and notifications).
 */
export function registerWorkflowRoutes(app: FastifyInstance): void {
  const { store } = app.standin;

  app.get<{ Querystring: Record<string, unknown> }>('/v1/workflows', (request, reply) => {
    const status = queryString(request.query, 'status') ?? null;
    if (status !== null && !WORKFLOW_STATUSES.includes(status as Workflow['status'])) {
      throw malformed('invalid status', [{ field: 'status', issue: `must be one of ${WORKFLOW_STATUSES.join(', ')}` }]);
    }
    send(request, reply, 200, { items: store.listWorkflows(request.customer, status) });
  });

  for (const [action, status] of [
    ['activate', 'ACTIVE'],
    ['deactivate', 'INACTIVE'],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/v1/workflows/:id/${action}`, (request, reply) =>
      answerPost(
        request,
        reply,
        () => {
          const workflow = store.setWorkflowStatus(request.customer, request.params.id, status);
          if (!workflow) throw notFound('workflows');
          return { status: 200, body: workflow };
        },
        { bodyRequired: false },
      ),
    );
  }

  app.get('/v1/settings/notifications', (request, reply) => {
    send(request, reply, 200, { emailEnabled: store.emailEnabled(request.customer) });
  });

  app.put('/v1/settings/notifications', (request, reply) => {
    const body = jsonBody(request) as Record<string, unknown> | null;
    const valid = typeof body === 'object' && body !== null && typeof body.emailEnabled === 'boolean' && Object.keys(body).length === 1;
    if (!valid) throw validationFailed([{ field: 'emailEnabled', issue: 'must be the only field, a boolean' }]);
    store.setEmailEnabled(request.customer, body.emailEnabled as boolean);
    send(request, reply, 200, { emailEnabled: body.emailEnabled });
  });
}
