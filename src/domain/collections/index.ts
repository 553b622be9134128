/**
 * One definition per collection (source query, mapper, message groups, FiberConnect paths)
 * and the registry that looks them up.
 *
 * @packageDocumentation
 */
import { type Collection, COLLECTIONS } from '../index.ts';
import { connections } from './connections.ts';
import { contractors } from './contractors.ts';
import { documents } from './documents.ts';
import { planboardSlots } from './planboard-slots.ts';
import { projects } from './projects.ts';
import type { CollectionDefinition } from './types.ts';
import { workOrderUpdates } from './work-order-updates.ts';
import { workOrders } from './work-orders.ts';

export type { BodyOf, CollectionDefinition, RowOf } from './types.ts';

/** The registry: one definition per collection, keyed by collection name. */
export const COLLECTION_DEFINITIONS: { readonly [C in Collection]: CollectionDefinition<C> } = {
  projects,
  contractors,
  connections,
  'work-orders': workOrders,
  'work-order-updates': workOrderUpdates,
  documents,
  'planboard-slots': planboardSlots,
};

/** The definition of one collection. */
export function definitionOf<C extends Collection>(collection: C): CollectionDefinition<C> {
  return COLLECTION_DEFINITIONS[collection];
}

/** Every definition in migration order (parents before children). */
export function definitionsInOrder(): CollectionDefinition[] {
  return COLLECTIONS.map((collection) => COLLECTION_DEFINITIONS[collection] as unknown as CollectionDefinition);
}

/** The FiberConnect path of one migrated record (its definition's `recordAt`): read for its version, patched by a delta. */
export function recordPathOf(collection: Collection, request: { path: string }, targetId: string): string {
  const at = COLLECTION_DEFINITIONS[collection].recordAt;
  if (at === 'request') return request.path;
  if (at !== undefined) return at.replace('{targetId}', encodeURIComponent(targetId));
  return `${request.path}/${encodeURIComponent(targetId)}`;
}

/** The collections whose records are part of this one's FiberConnect records (work orders: their updates). */
export function partsOf(collection: Collection): Collection[] {
  return COLLECTIONS.filter((other) => COLLECTION_DEFINITIONS[other].partOf === collection);
}

/** The other collection that writes the same FiberConnect record (a work order and its update), if any. */
export function sharingRecordWith(collection: Collection): Collection | undefined {
  return COLLECTION_DEFINITIONS[collection].partOf ?? partsOf(collection)[0];
}
