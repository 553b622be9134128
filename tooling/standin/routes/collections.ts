import type { FastifyInstance } from 'fastify';
import { PATCHABLE_COLLECTIONS, RESOURCE_COLLECTIONS } from '../constants.ts';
import { notFound } from '../errors.ts';
import { etagOf, readIfMatch } from '../preconditions.ts';
import { answerPost, encodeCursor, jsonBody, pageQuery, queryString, send } from './shared.ts';

type IdParams = { Params: { id: string }; Querystring: Record<string, unknown> };

/**
 * The resource routes of docs/fiberconnect-api.md (every request, collections, changes and removal): for every collection lookup by
 * externalRef, pages, by id (with its ETag) and DELETE; for all but documents, the
 * create (POST, with Idempotency-Key) and the merge patch (PATCH). PATCH and DELETE
 * honour If-Match.
 */
export function registerCollectionRoutes(app: FastifyInstance): void {
  const { store, records } = app.standin;
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
      send(request, reply, 200, resource, { etag: etagOf(resource) });
    });

    app.delete<IdParams>(`/v1/${collection}/:id`, (request, reply) => {
      records.remove(request.customer, collection, request.params.id, readIfMatch(request.headers));
      send(request, reply, 204, undefined);
    });
  }

  for (const collection of PATCHABLE_COLLECTIONS) {
    app.post(`/v1/${collection}`, (request, reply) =>
      answerPost(request, reply, (body) => ({ status: 201, body: records.create(request.customer, collection, body) })),
    );

    app.patch<IdParams>(`/v1/${collection}/:id`, (request, reply) => {
      const ifMatch = readIfMatch(request.headers);
      const patch = jsonBody(request);
      const resource = records.patch(request.customer, collection, request.params.id, patch, ifMatch);
      send(request, reply, 200, resource, { etag: etagOf(resource) });
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
