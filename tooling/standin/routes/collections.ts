import type { FastifyInstance } from 'fastify';
import { RESOURCE_COLLECTIONS } from '../constants.ts';
import { notFound } from '../errors.ts';
import { conflict, encodeCursor, pageQuery, queryString, send } from './shared.ts';

type IdParams = { Params: { id: string }; Querystring: Record<string, unknown> };

/**
 * Lookup and removal for every collection (docs/fiberconnect-api.md, lookup and removal): by externalRef, by page,
 * by id, and DELETE, refused with 409 `has_children` while children exist.
 */
export function registerCollectionRoutes(app: FastifyInstance): void {
  const { store } = app.standin;
  for (const collection of RESOURCE_COLLECTIONS) {
    app.get<IdParams>(`/v1/${collection}`, (request, reply) => {
      const externalRef = queryString(request.query, 'externalRef');
      if (externalRef !== undefined) {
        const found = store.findByExternalRef(request.customer, collection, externalRef);
        send(request, reply, 200, { items: found ? [found] : [] });
        return;
      }
      const { afterSeq, limit } = pageQuery(request.query);
      // One extra row tells whether another page exists without a COUNT.
      const rows = store.listResources(request.customer, collection, afterSeq, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > limit && last ? encodeCursor(last.seq) : null;
      send(request, reply, 200, { items: page.map((row) => row.resource), nextCursor });
    });

    app.get<IdParams>(`/v1/${collection}/:id`, (request, reply) => {
      const resource = store.getResource(request.customer, collection, request.params.id);
      if (!resource) throw notFound(collection);
      send(request, reply, 200, resource);
    });

    app.delete<IdParams>(`/v1/${collection}/:id`, (request, reply) => {
      store.transaction(() => {
        const resource = store.getResource(request.customer, collection, request.params.id);
        if (!resource) throw notFound(collection);
        if (store.hasChildren(resource.id)) {
          throw conflict('has_children', `${collection} ${resource.id} still has children: delete them first`);
        }
        store.deleteResource(resource.id);
      });
      send(request, reply, 204, undefined);
    });
  }

  // The stored bytes of a document, so that a test can prove they arrived byte-exact.
  app.get<IdParams>('/v1/documents/:id/content', (request, reply) => {
    const document = store.getResource(request.customer, 'documents', request.params.id);
    const content = document && store.getDocumentContent(document.id);
    if (!document || !content) throw notFound('documents');
    const digest = `sha-256=:${Buffer.from(document.sha256 as string, 'hex').toString('base64')}:`;
    reply.type(document.contentType as string);
    send(request, reply, 200, Buffer.from(content), { 'content-digest': digest });
  });
}
