import { InvalidInputError } from '../domain/errors.ts';
import type { LegacyRegistry } from './registry.ts';
import type { PrecheckResult } from './types.ts';

/** MySQL's answers when the registry database or its table does not exist. */
const NO_REGISTRY_CODES: ReadonlySet<string> = new Set(['ER_BAD_DB_ERROR', 'ER_NO_SUCH_TABLE']);

/**
 * The legacy pre-check of the runbook, run before anything starts: the
 * registry answers, the customer is in it, and has active sub-projects.
 * The CLI runs it in-process against a local server and, on a stage, through
 * the precheck Lambda, which reaches the legacy database a laptop usually cannot.
 */
export class LegacyPrecheck {
  public constructor(private readonly registry: Pick<LegacyRegistry, 'listCustomers' | 'listSubprojects'>) {}

  /**
   * The customer's active sub-projects.
   * @throws InvalidInputError for an unknown customer or one without an active sub-project;
   * a lost connection surfaces as the driver's error (the handler names it LegacyDbUnreachableError).
   */
  public async check(customer: string): Promise<PrecheckResult> {
    const customers = await this.registry.listCustomers().catch((error: unknown) => {
      // A server without the registry (never seeded) knows no customer: bad input, not a crash.
      if (NO_REGISTRY_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return [] as string[];
      throw error;
    });
    if (!customers.includes(customer)) {
      throw new InvalidInputError(`unknown customer ${customer}; known customers: ${customers.join(', ') || 'none (run make seed)'}`, {
        input: 'CUSTOMER',
        issue: customer,
      });
    }
    const active = await this.registry.listSubprojects(customer);
    if (active.length === 0)
      throw new InvalidInputError(`customer ${customer} has no active sub-project`, { input: 'CUSTOMER', issue: 'no active sub-project' });
    return { customer, subprojects: active.map((subproject) => subproject.databaseName) };
  }
}
