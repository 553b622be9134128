import { expect } from 'chai';
import { applyMergePatch } from '../../../tooling/standin/merge-patch.ts';

describe('stand-in: JSON merge patch (RFC 7386)', () => {
  // The examples of RFC 7386 Appendix A: [target, patch, result].
  const EXAMPLES: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];

  it('gives the result of every example of RFC 7386 Appendix A', () => {
    for (const [target, patch, result] of EXAMPLES) {
      expect(applyMergePatch(target, patch), JSON.stringify([target, patch])).to.deep.equal(result);
    }
  });

  it('leaves the target untouched (returns a new object)', () => {
    const target = { address: { houseNumber: 1, houseLetter: 'A' } };
    applyMergePatch(target, { address: { houseLetter: null } });
    expect(target).to.deep.equal({ address: { houseNumber: 1, houseLetter: 'A' } });
  });
});
