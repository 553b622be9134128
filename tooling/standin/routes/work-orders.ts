import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../../src/domain/validation.ts';
import { notFound, validationFailed } from '../errors.ts';
import type { Resource } from '../types.ts';
import { answerPost, createResource, jsonBody, newId, send } from './shared.ts';

interface WorkOrderBody {
  externalRef: string;
  connectionId: string;
}

interface WorkOrderUpdate {
  status?: string;
  contractorId?: string;
  completedAt?: string;
}

/**
 * `POST /v1/work-orders` and `PATCH /v1/work-orders/{id}`. A new work order is OPEN
 * without a contractor; its creation enqueues a planboard-preparation job and triggers
 * every ACTIVE workflow (with an e-mail while the customer's e-mail setting is on).
 */
export function registerWorkOrderRoutes(app: FastifyInstance): void {
  const { store, config } = app.standin;

  app.post('/v1/work-orders', (request, reply) =>
    answerPost(request, reply, (body) => {
      const issues = validateBody('work-orders', body);
      if (issues.length > 0) throw validationFailed(issues);
      const workOrder = body as WorkOrderBody;
      const customer = request.customer;
      if (!store.getResource(customer, 'connections', workOrder.connectionId)) {
        throw validationFailed([{ field: 'connectionId', issue: 'no such connection' }]);
      }
      const answer = createResource(
        request,
        'work-orders',
        { ...workOrder, status: 'OPEN', contractorId: null, completedAt: null },
        { parentId: workOrder.connectionId },
      );
      const id = (answer.body as Resource).id;
      const now = Date.now();
      store.insertJob(customer, newId('job'), id, now, now + config.jobDelayMs);
      const emailSent = store.emailEnabled(customer);
      for (const workflow of store.listWorkflows(customer, 'ACTIVE')) {
        store.insertTrigger(customer, workflow.id, id, emailSent, now);
      }
      return answer;
    }),
  );

  app.patch<{ Params: { id: string } }>('/v1/work-orders/:id', (request, reply) => {
    const body = jsonBody(request);
    const customer = request.customer;
    const updated = store.transaction(() => {
      const current = store.getResource(customer, 'work-orders', request.params.id);
      if (!current) throw notFound('work-orders');
      const update = body as WorkOrderUpdate;
      // The schema wants contractorId / completedAt in the body; one already set on the work order counts too.
      const issues = validateBody('work-order-updates', body).filter(
        (issue) =>
          !(issue.field === 'contractorId' && update.contractorId === undefined && current.contractorId) &&
          !(issue.field === 'completedAt' && update.completedAt === undefined && current.completedAt),
      );
      if (issues.length > 0) throw validationFailed(issues);
      if (update.contractorId !== undefined && !store.getResource(customer, 'contractors', update.contractorId)) {
        throw validationFailed([{ field: 'contractorId', issue: 'no such contractor' }]);
      }
      const next: Resource = { ...current, ...update, updatedAt: new Date().toISOString() };
      store.updateResource(next, (next.contractorId as string | null) ?? null);
      return next;
    });
    send(request, reply, 200, updated);
  });
}
