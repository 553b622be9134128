import { InvalidInputError } from '../domain/index.ts';
import { SUBPROJECT_NAME_PATTERN } from './constants.ts';
import type { ListSubprojectsOptions, PrecheckResult, Subproject, SubprojectProblem } from './types.ts';

/** MySQL's answers when the registry database or its table does not exist. */
const NO_REGISTRY_CODES: ReadonlySet<string> = new Set(['ER_BAD_DB_ERROR', 'ER_NO_SUCH_TABLE']);

/** The registry as the pre-check reads it; the MySQL registry (source/mysql/) implements it. */
export interface PrecheckRegistry {
  listCustomers(): Promise<string[]>;
  listSubprojects(customer: string, options?: ListSubprojectsOptions): Promise<Subproject[]>;
  problemOf(database: string): Promise<SubprojectProblem | undefined>;
}

/**
 * The legacy pre-check of the runbook, run before anything changes: the
 * registry answers, the customer is in it and has active sub-projects, and
 * every active sub-project's registry row names a database that the run can
 * read (a valid name, the database exists, each of its tables answers). The
 * CLI runs it in-process against a local server and, on a stage, through the
 * precheck Lambda, which reaches the legacy database a laptop usually cannot;
 * the configure step of every workflow runs it again, so a run started any
 * other way is refused before the target is switched off too.
 *
 * Inactive sub-projects are never read, so their rows are not checked: an
 * archived sub-project whose database is gone does not block the others.
 *
 * @example
 * const { subprojects } = await new LegacyPrecheck(registry).check('acme');
 */
export class LegacyPrecheck {
  public constructor(private readonly registry: PrecheckRegistry) {}

  /**
   * The customer's active sub-project databases.
   * @throws InvalidInputError (one line) for an unknown customer, one without an active sub-project, or
   * a registry row the run could not read; a lost connection surfaces as the driver's error (the handler names it LegacyDbUnreachableError).
   */
  public async check(customer: string): Promise<PrecheckResult> {
    return { customer, subprojects: (await this.subprojects(customer)).map((subproject) => subproject.database) };
  }

  /** {@link check}, answering the registry rows themselves (configure needs their labels). */
  public async subprojects(customer: string): Promise<Subproject[]> {
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
    const problems: string[] = [];
    for (const subproject of active) {
      const problem = await this.problemOf(subproject);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) {
      throw new InvalidInputError(
        `customer ${customer}: the registry names sub-projects that cannot be migrated, nothing was changed: ${problems.join('; ')}`,
        { input: 'CUSTOMER', issue: 'registry' },
      );
    }
    return active;
  }

  /** One readable sentence of what is wrong with one registry row, or undefined. */
  private async problemOf(subproject: Subproject): Promise<string | undefined> {
    const row = `registry row ${subproject.id}`;
    if (!SUBPROJECT_NAME_PATTERN.test(subproject.database)) {
      return `${row}: ${JSON.stringify(subproject.database)} is not a sub-project database name (letters, digits and _, 1 to 64)`;
    }
    const problem: SubprojectProblem | undefined = await this.registry.problemOf(subproject.database);
    if (!problem) return undefined;
    if (problem.kind === 'missing') return `${row}: database ${subproject.database} does not exist`;
    return `${row}: database ${subproject.database} has tables that cannot be read: ${problem.tables.map(({ table, code }) => `${table} (${code})`).join(', ')}`;
  }
}
