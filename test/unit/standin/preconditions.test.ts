import { expect } from 'chai';
import { ApiError } from '../../../tooling/standin/errors.ts';
import { assertIfMatch, readIfMatch } from '../../../tooling/standin/preconditions.ts';
import type { Resource } from '../../../tooling/standin/types.ts';

const at = (version: number): Resource => ({ id: 'prj_1', externalRef: 'p', createdAt: '', updatedAt: '', version });

/** The status and code of what `fn` throws, or null. */
function thrown(fn: () => unknown): [number, string] | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return [error.status, error.code];
  }
}

describe('stand-in: If-Match', () => {
  it('reads *, one tag, a list, and drops weak tags (they never match)', () => {
    expect(readIfMatch({})).to.equal(null);
    expect(readIfMatch({ 'if-match': '*' })).to.deep.equal({ any: true });
    expect(readIfMatch({ 'if-match': '"3"' })).to.deep.equal({ tags: ['"3"'] });
    expect(readIfMatch({ 'if-match': '"1", W/"2" ,"3"' })).to.deep.equal({ tags: ['"1"', '"3"'] });
  });

  it('refuses a header that is neither * nor entity tags with 400 malformed_request', () => {
    for (const value of ['3', '"3', '', ' , ', '"3" 4']) {
      expect(
        thrown(() => readIfMatch({ 'if-match': value })),
        value,
      ).to.deep.equal([400, 'malformed_request']);
    }
  });

  it('holds for the current version, any tag of a list, or *; else 412 version_mismatch, also when nothing exists', () => {
    expect(thrown(() => assertIfMatch(null, undefined))).to.equal(null);
    expect(thrown(() => assertIfMatch({ tags: ['"2"'] }, at(2)))).to.equal(null);
    expect(thrown(() => assertIfMatch({ tags: ['"1"', '"2"'] }, at(2)))).to.equal(null);
    expect(thrown(() => assertIfMatch({ any: true }, at(7)))).to.equal(null);
    expect(thrown(() => assertIfMatch({ tags: ['"1"'] }, at(2)))).to.deep.equal([412, 'version_mismatch']);
    expect(thrown(() => assertIfMatch({ tags: [] }, at(2)))).to.deep.equal([412, 'version_mismatch']);
    expect(thrown(() => assertIfMatch({ any: true }, undefined))).to.deep.equal([412, 'version_mismatch']);
  });
});
