import { COLLECTIONS } from '../constants.ts';
import type { Collection } from '../types.ts';
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
