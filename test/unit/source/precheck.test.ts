import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { LegacyPrecheck } from '../../../src/source/precheck.ts';
import type { Subproject, SubprojectProblem } from '../../../src/source/types.ts';

const subproject = (database: string, index: number): Subproject => ({ id: index + 1, customer: 'acme', database, label: null, active: true });

/**
 * A registry of the given customers and their active sub-projects; `fail` replaces the customer list with an error;
 * `problems` are what the legacy server says of some databases (the rest are readable).
 */
function registry(active: Record<string, string[]>, fail?: Error, problems: Record<string, SubprojectProblem> = {}) {
  return {
    listCustomers: () => (fail ? Promise.reject(fail) : Promise.resolve(Object.keys(active).sort())),
    listSubprojects: (customer: string) => Promise.resolve((active[customer] ?? []).map(subproject)),
    problemOf: (database: string) => Promise.resolve(problems[database]),
  };
}

async function refusal(check: Promise<unknown>): Promise<Error> {
  try {
    await check;
  } catch (error) {
    return error as Error;
  }
  return expect.fail('the pre-check passed');
}

describe('the legacy pre-check (LegacyPrecheck)', () => {
  it('answers the active sub-project databases of a known customer', async () => {
    expect(await new LegacyPrecheck(registry({ acme: ['fp_acme_a', 'fp_acme_b'] })).check('acme')).to.deep.equal({
      customer: 'acme',
      subprojects: ['fp_acme_a', 'fp_acme_b'],
    });
  });

  it('refuses an unknown customer as bad input, naming the known ones', async () => {
    const error = await refusal(new LegacyPrecheck(registry({ acme: ['fp_acme_a'], demo: ['fp_demo_a'] })).check('acne'));
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal('unknown customer acne; known customers: acme, demo');
  });

  it('refuses a customer without an active sub-project as bad input', async () => {
    const error = await refusal(new LegacyPrecheck(registry({ acme: [] })).check('acme'));
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal('customer acme has no active sub-project');
  });

  it('treats a server without the registry as knowing no customer', async () => {
    const missing = Object.assign(new Error("Unknown database 'fiberplan_registry'"), { code: 'ER_BAD_DB_ERROR' });
    const error = await refusal(new LegacyPrecheck(registry({}, missing)).check('acme'));
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.match(/none \(run make seed\)/);
  });

  it('lets a lost connection through for the handler to name (not bad input about the customer)', async () => {
    const lost = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    expect(await refusal(new LegacyPrecheck(registry({}, lost)).check('acme'))).to.equal(lost);
  });

  it('refuses, in one line naming each bad registry row, a database name outside the sub-project pattern, a database that does not exist and tables that cannot be read', async () => {
    const problems: Record<string, SubprojectProblem> = {
      fp_acme_gone: { kind: 'missing' },
      fp_acme_half: { kind: 'unreadable', tables: [{ table: 'documents', code: 'ER_NO_SUCH_TABLE' }] },
    };
    const check = new LegacyPrecheck(registry({ acme: ['fp_acme_ok', 'fp-acme`; DROP', 'fp_acme_gone', 'fp_acme_half'] }, undefined, problems)).check('acme');
    const error = await refusal(check);
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.message).to.equal(
      'customer acme: the registry names sub-projects that cannot be migrated, nothing was changed: registry row 2: "fp-acme`; DROP" is not a sub-project database name (letters, digits and _, 1 to 64); ' +
        'registry row 3: database fp_acme_gone does not exist; registry row 4: database fp_acme_half has tables that cannot be read: documents (ER_NO_SUCH_TABLE)',
    );
  });

  it('never asks the server about a database whose name is outside the pattern', async () => {
    const asked: string[] = [];
    const spy = { ...registry({ acme: ['bad-name'] }), problemOf: (name: string) => (asked.push(name), Promise.resolve(undefined)) };
    await refusal(new LegacyPrecheck(spy).check('acme'));
    expect(asked).to.deep.equal([]);
  });
});
