/**
 * The collections a rollback removes, children before parents (a parent with
 * children left gets 409 `has_children`): planboard slots and documents hang
 * under work orders, work orders under connections and contractors,
 * connections under projects. Work-order updates are their work orders and
 * are never removed on their own.
 */
export const ROLLBACK_ORDER = ['planboard-slots', 'documents', 'work-orders', 'connections', 'contractors', 'projects'] as const;

/** Kept records listed in rollback.html per collection at most: the JSON lists them all. */
export const MAX_KEPT_IN_HTML = 500;
