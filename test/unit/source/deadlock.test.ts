import { expect } from 'chai';
import sinon from 'sinon';
import { DEADLOCK_ATTEMPTS, retryOnDeadlock } from '../../../tooling/seed/deadlock.ts';

/** The error mysql2 rejects with when InnoDB rolls a statement back to break a deadlock. */
function deadlock(): Error {
  return Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
}

describe('retryOnDeadlock', () => {
  it('runs a statement chosen as a deadlock victim again and returns its result', async () => {
    const statement = sinon.stub();
    statement.onFirstCall().rejects(deadlock());
    statement.onSecondCall().resolves('inserted');
    expect(await retryOnDeadlock(statement)).to.equal('inserted');
    expect(statement.callCount).to.equal(2);
  });

  it('throws any other error at once, without running the statement again', async () => {
    const statement = sinon.stub().rejects(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }));
    const error = (await retryOnDeadlock(statement).catch((e: unknown) => e)) as { code: string };
    expect(error.code).to.equal('ER_DUP_ENTRY');
    expect(statement.callCount).to.equal(1);
  });

  it('gives up with the deadlock after the last attempt', async () => {
    const statement = sinon.stub().callsFake(() => Promise.reject(deadlock()));
    const error = (await retryOnDeadlock(statement, 3).catch((e: unknown) => e)) as { code: string };
    expect(error.code).to.equal('ER_LOCK_DEADLOCK');
    expect(statement.callCount).to.equal(3);
    expect(DEADLOCK_ATTEMPTS).to.be.greaterThan(1);
  });
});
