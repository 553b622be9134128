/** MariaDB's error for a statement it rolled back to break a deadlock (errno 1213). */
const DEADLOCK = 'ER_LOCK_DEADLOCK';

/** How often a statement chosen as a deadlock's victim is run again before the seed gives up. */
export const DEADLOCK_ATTEMPTS = 5;

/**
 * Runs a statement, and again when InnoDB picked it as a deadlock's victim.
 * The seed inserts batches of one table on several connections with
 * `unique_checks = 0`; at about a million rows their secondary-index locks
 * cross now and then. The victim's multi-row INSERT is rolled back whole
 * (autocommit), so running it again writes each row once, as MariaDB
 * advises for error 1213. Any other error, or a deadlock on the last
 * attempt, is thrown as it came.
 */
export async function retryOnDeadlock<T>(statement: () => Promise<T>, attempts = DEADLOCK_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK || attempt >= attempts) throw error;
      // Short and growing, so the winner of the lock finishes first.
      await new Promise((resume) => setTimeout(resume, 20 * attempt));
    }
  }
}
