import type { RemovableCollection } from '../pipeline/index.ts';

/**
 * The collections a rollback removes, children before parents (a parent with
 * children left gets 409 `has_children`): planboard slots and documents hang
 * under work orders, work orders under connections and contractors,
 * connections under projects. Work-order updates are their work orders and
 * are never removed on their own.
 */
export const ROLLBACK_ORDER = [
  'planboard-slots',
  'documents',
  'work-orders',
  'connections',
  'contractors',
  'projects',
] as const satisfies readonly RemovableCollection[];

/** Compiles only while ROLLBACK_ORDER names every removable collection: a collection added to the domain needs its place in it. */
type Unordered = Exclude<RemovableCollection, (typeof ROLLBACK_ORDER)[number]>;
const _everyRemovableCollectionOrdered: [Unordered] extends [never] ? true : Unordered = true;

/** Kept records listed in rollback.html per collection at most: the JSON lists them all. */
export const MAX_KEPT_IN_HTML = 500;
