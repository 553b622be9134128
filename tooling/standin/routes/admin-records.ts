import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PATCHABLE_COLLECTIONS, RESOURCE_COLLECTIONS } from '../constants.ts';
import { notFound } from '../errors.ts';
import { etagOf, readIfMatch } from '../preconditions.ts';
import type { PatchableCollection, ResourceCollection } from '../types.ts';
import { registerDocumentRoutes } from './documents.ts';
import { jsonBody, send } from './shared.ts';

type RecordRoute = { Params: { customer: string; collection: string; id: string } };

/** Where a person's changes go: `/admin/customers/{customer}`. */
const BASE = '/admin/customers/:customer';

/**
 * Changes made AS A PERSON in FiberConnect's own screens, for tests and demos: create,
 * merge patch, delete and document PUT/DELETE under `/admin/customers/{customer}`. They
 * follow the API's rules (the same validation, conflicts, If-Match and version bump,
 * a created work order enqueues its job and triggers workflows) but are no requests of
 * the customer's: not in the request log, never rate limited nor fault-injected, and
 * without Idempotency-Key.
 */
export function registerAdminRecordRoutes(app: FastifyInstance): void {
  const { config, store, records } = app.standin;

  /** The configured customer named in the path. */
  const customerOf = (request: FastifyRequest): string => {
    const { customer } = request.params as { customer: string };
    if (!Object.hasOwn(config.tokens, customer)) throw notFound('customer');
    return customer;
  };
  const collectionOf = <C extends string>(request: FastifyRequest<RecordRoute>, collections: readonly C[]): C => {
    const collection = request.params.collection as C;
    if (!collections.includes(collection)) throw notFound(`collection ${request.params.collection}`);
    return collection;
  };

  app.get<RecordRoute>(`${BASE}/:collection/:id`, (request, reply) => {
    const customer = customerOf(request);
    const resource = store.getResource(customer, collectionOf<ResourceCollection>(request, RESOURCE_COLLECTIONS), request.params.id);
    if (!resource) throw notFound(request.params.collection);
    send(request, reply, 200, resource, { etag: etagOf(resource) });
  });

  app.post<RecordRoute>(`${BASE}/:collection`, (request, reply) => {
    const customer = customerOf(request);
    const collection = collectionOf<PatchableCollection>(request, PATCHABLE_COLLECTIONS);
    const body = jsonBody(request);
    const resource = store.transaction(() => records.create(customer, collection, body));
    send(request, reply, 201, resource, { etag: etagOf(resource) });
  });

  app.patch<RecordRoute>(`${BASE}/:collection/:id`, (request, reply) => {
    const customer = customerOf(request);
    const collection = collectionOf<PatchableCollection>(request, PATCHABLE_COLLECTIONS);
    const ifMatch = readIfMatch(request.headers);
    const resource = records.patch(customer, collection, request.params.id, jsonBody(request), ifMatch);
    send(request, reply, 200, resource, { etag: etagOf(resource) });
  });

  app.delete<RecordRoute>(`${BASE}/:collection/:id`, (request, reply) => {
    const customer = customerOf(request);
    const collection = collectionOf<ResourceCollection>(request, RESOURCE_COLLECTIONS);
    records.remove(customer, collection, request.params.id, readIfMatch(request.headers));
    send(request, reply, 204, undefined);
  });

  registerDocumentRoutes(app, BASE, customerOf);
}
