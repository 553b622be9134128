import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../../src/domain/validation.ts';
import { duplicateExternalRef, validationFailed } from '../errors.ts';
import { answerPost, conflict, createResource } from './shared.ts';

interface ConnectionBody {
  externalRef: string;
  projectId: string;
  address: { postcode: string; houseNumber: number; houseLetter?: string; houseAddition?: string };
}

/**
 * `POST /v1/connections`: the schema, an existing project of the customer, and one
 * connection per address in a project. Addresses compare exactly as sent (the schema
 * already fixes the postcode's form), the same rule the engine applies before calling.
 */
export function registerConnectionRoutes(app: FastifyInstance): void {
  const { store } = app.standin;
  app.post('/v1/connections', (request, reply) =>
    answerPost(request, reply, (body) => {
      const issues = validateBody('connections', body);
      if (issues.length > 0) throw validationFailed(issues);
      const connection = body as ConnectionBody;
      if (!store.getResource(request.customer, 'projects', connection.projectId)) {
        throw validationFailed([{ field: 'projectId', issue: 'no such project' }]);
      }
      const existing = store.findByExternalRef(request.customer, 'connections', connection.externalRef);
      if (existing) throw duplicateExternalRef(existing.id);
      const { postcode, houseNumber, houseLetter, houseAddition } = connection.address;
      const addressKey = JSON.stringify([postcode, houseNumber, houseLetter ?? null, houseAddition ?? null]);
      const sameAddress = store.findAddress(connection.projectId, addressKey);
      if (sameAddress) {
        throw conflict('duplicate_address', 'this address already has a connection in the project', sameAddress);
      }
      return createResource(request, 'connections', connection, { parentId: connection.projectId, addressKey });
    }),
  );
}
