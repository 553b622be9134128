import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { LegacyPrecheck } from '../../../src/source/precheck.ts';
import type { Subproject } from '../../../src/source/types.ts';

const subproject = (databaseName: string): Subproject => ({ id: 1, customer: 'acme', databaseName, label: null, active: true });

/** A registry of the given customers and their active sub-projects; `fail` replaces the customer list with an error. */
function registry(active: Record<string, string[]>, fail?: Error) {
  return {
    listCustomers: () => (fail ? Promise.reject(fail) : Promise.resolve(Object.keys(active).sort())),
    listSubprojects: (customer: string) => Promise.resolve((active[customer] ?? []).map(subproject)),
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
});
