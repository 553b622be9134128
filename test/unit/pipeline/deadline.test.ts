import { expect } from 'chai';
import { boundedCall } from '../../../src/pipeline/deadline.ts';

const GET = { method: 'GET' as const, path: '/v1/contractors/cnt_1' };

describe('boundedCall', () => {
  it('gives a call the time left before the deadline as its timeout', () => {
    expect(boundedCall(GET, 10_000, 7_500)).to.deep.equal({ ...GET, timeoutMs: 2_500 });
  });

  it('gives no call once the deadline has passed', () => {
    expect(boundedCall(GET, 10_000, 10_000)).to.equal(undefined);
    expect(boundedCall(GET, 10_000, 12_000)).to.equal(undefined);
  });

  it('leaves a call without a deadline unbounded', () => {
    expect(boundedCall(GET, Number.POSITIVE_INFINITY, 7_500)).to.deep.equal(GET);
  });
});
