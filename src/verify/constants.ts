/** The lists of a verification, in the order verify.json and verify.html show them. */
export const VERIFY_LISTS = ['missing', 'stray', 'changedInTarget', 'changedInSource'] as const;

/** The lists that make a verification fail (exit 1): the others are changes to know of, not losses. */
export const FAILING_LISTS = ['missing', 'stray'] as const;

/** The balance of a collection: every source row is one of these (`source = migrated + skipped + failed + notYetRun`). */
export const BALANCE_FIGURES = ['source', 'migrated', 'skipped', 'failed', 'notYetRun'] as const;

/** Records asked for per target list page (the API's `limit`). */
export const TARGET_PAGE_SIZE = 500;

/** Ledger entries read per page when looking for missing records. */
export const LEDGER_PAGE_SIZE = 500;

/** Records verify.html shows per list and collection; verify.json has all of them. */
export const HTML_LIST_CAP = 50;

/** Ids of source rows start above this: the first keyset page reads from the beginning. */
export const FIRST_ID = Number.MIN_SAFE_INTEGER;

/** Where a verification's report files live: beside the run's other files. */
export function verifyKeys(customer: string, runId: string): { folder: string; json: string; html: string } {
  const folder = `reports/${customer}/${runId}`;
  return { folder, json: `${folder}/verify.json`, html: `${folder}/verify.html` };
}
