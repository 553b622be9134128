import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { asOutageError, withOutageErrors } from '../../../src/handler/outage-errors.ts';
import { LegacyDbUnreachableError } from '../../../src/source/errors.ts';
import { TargetError, TargetUnavailableError } from '../../../src/target/errors.ts';

const targetError = (status?: number): TargetError =>
  new TargetError(status ? `FiberConnect answered ${status}` : 'no answer from FiberConnect: socket hang up', {
    method: 'GET',
    path: '/v1/workflows',
    ...(status ? { status } : {}),
  });

describe('outage errors of the control handlers (asOutageError)', () => {
  for (const [label, error] of [
    ['a dropped connection or timeout (no status)', targetError()],
    ['429', targetError(429)],
    ['500', targetError(500)],
    ['503', targetError(503)],
  ] as const) {
    it(`names a FiberConnect ${label} TargetUnavailableError, keeping the call's context and the original as cause`, () => {
      const mapped = asOutageError(error);
      expect(mapped).to.be.instanceOf(TargetUnavailableError);
      expect((mapped as TargetUnavailableError).name).to.equal('TargetUnavailableError');
      expect((mapped as TargetUnavailableError).context).to.deep.equal(error.context);
      expect((mapped as Error).cause).to.equal(error);
    });
  }

  for (const status of [400, 401, 404, 409, 422]) {
    it(`leaves a FiberConnect ${status} a TargetError: a refusal is no outage and is not retried`, () => {
      const error = targetError(status);
      expect(asOutageError(error)).to.equal(error);
    });
  }

  it('finds a transient TargetError wrapped in a cause', () => {
    expect(asOutageError(new Error('restore failed', { cause: targetError(502) }))).to.be.instanceOf(TargetUnavailableError);
  });

  it('names a lost legacy connection LegacyDbUnreachableError with its code and the database, never a password', () => {
    const lost = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306'), { code: 'ECONNREFUSED' });
    const mapped = asOutageError(new Error('registry read failed', { cause: lost }), 'fiberplan_registry');
    expect(mapped).to.be.instanceOf(LegacyDbUnreachableError);
    expect((mapped as LegacyDbUnreachableError).context).to.deep.equal({ address: 'fiberplan_registry', cause: 'ECONNREFUSED' });
    expect((mapped as Error).message).to.equal('legacy database unreachable (ECONNREFUSED)');
  });

  it('passes an error that already names the outage through unchanged', () => {
    const named = new LegacyDbUnreachableError('legacy database unreachable (ETIMEDOUT)', { address: 'fp_acme_a', cause: 'ETIMEDOUT' });
    expect(asOutageError(named, 'registry')).to.equal(named);
  });

  it('passes every other error through unchanged, so a real fault is not retried', () => {
    const invalid = new InvalidInputError('customer acme has no active sub-project in the registry', { input: 'customer', issue: 'acme' });
    expect(asOutageError(invalid)).to.equal(invalid);
    const plain = new TypeError('x is undefined');
    expect(asOutageError(plain)).to.equal(plain);
  });

  it('withOutageErrors answers the work on success and throws the mapped error on failure', async () => {
    expect(await withOutageErrors(() => Promise.resolve(7))).to.equal(7);
    try {
      await withOutageErrors(() => Promise.reject(targetError(503)));
      expect.fail('should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(TargetUnavailableError);
    }
  });
});
