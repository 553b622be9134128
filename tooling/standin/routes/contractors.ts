import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../../src/domain/validation.ts';
import { validationFailed } from '../errors.ts';
import { answerPost, createResource } from './shared.ts';

/** `POST /v1/contractors`: the schema alone. */
export function registerContractorRoutes(app: FastifyInstance): void {
  app.post('/v1/contractors', (request, reply) =>
    answerPost(request, reply, (body) => {
      const issues = validateBody('contractors', body);
      if (issues.length > 0) throw validationFailed(issues);
      return createResource(request, 'contractors', body as { externalRef: string });
    }),
  );
}
