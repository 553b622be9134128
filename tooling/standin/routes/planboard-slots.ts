import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../../src/domain/validation.ts';
import { duplicateExternalRef, validationFailed } from '../errors.ts';
import { answerPost, conflict, createResource } from './shared.ts';

interface SlotBody {
  externalRef: string;
  workOrderId: string;
  start: string;
  end: string;
}

/** `POST /v1/planboard-slots`: end after start, and only once the work order's preparation job is DONE. */
export function registerPlanboardSlotRoutes(app: FastifyInstance): void {
  const { store } = app.standin;
  app.post('/v1/planboard-slots', (request, reply) =>
    answerPost(request, reply, (body) => {
      const issues = validateBody('planboard-slots', body);
      if (issues.length > 0) throw validationFailed(issues);
      const slot = body as SlotBody;
      if (Date.parse(slot.end) <= Date.parse(slot.start)) {
        throw validationFailed([{ field: 'end', issue: 'must be after start' }]);
      }
      if (!store.getResource(request.customer, 'work-orders', slot.workOrderId)) {
        throw validationFailed([{ field: 'workOrderId', issue: 'no such work order' }]);
      }
      const existing = store.findByExternalRef(request.customer, 'planboard-slots', slot.externalRef);
      if (existing) throw duplicateExternalRef(existing.id);
      const job = store.jobOfWorkOrder(slot.workOrderId, Date.now());
      if (job?.status === 'PENDING') {
        throw conflict('planboard_not_ready', `the planboard of work order ${slot.workOrderId} is still being prepared (job ${job.id})`);
      }
      return createResource(request, 'planboard-slots', slot, { parentId: slot.workOrderId });
    }),
  );
}
