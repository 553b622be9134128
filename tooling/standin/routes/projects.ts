import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../../src/domain/validation.ts';
import { validationFailed } from '../errors.ts';
import { answerPost, createResource } from './shared.ts';

interface ProjectBody {
  externalRef: string;
  startDate?: string;
  endDate?: string;
}

/** `POST /v1/projects`: the schema, then endDate ≥ startDate. */
export function registerProjectRoutes(app: FastifyInstance): void {
  app.post('/v1/projects', (request, reply) =>
    answerPost(request, reply, (body) => {
      const issues = validateBody('projects', body);
      if (issues.length > 0) throw validationFailed(issues);
      const project = body as ProjectBody;
      // YYYY-MM-DD strings compare like the dates they name.
      if (project.startDate && project.endDate && project.endDate < project.startDate) {
        throw validationFailed([{ field: 'endDate', issue: 'must not be before startDate' }]);
      }
      return createResource(request, 'projects', project);
    }),
  );
}
