import { expect } from 'chai';
import { CUSTOMER_KEY } from '../../src/domain/constants.ts';
import { DEFAULT_PROFILE } from '../../src/profile/constants.ts';
import { engineSources } from '../../tooling/static/scaling.ts';

/** Files of the given folders (TypeScript and JSON) that match a pattern. */
function filesMatching(pattern: RegExp, texts: Readonly<Record<string, string>>): string[] {
  return Object.entries(texts)
    .filter(([, text]) => pattern.test(text))
    .map(([file]) => file)
    .sort();
}

describe('shapes the engine names in many places are written once', () => {
  const sources = { ...engineSources(), ...engineSources(undefined, ['tooling', 'scripts']) };

  it('the customer key: src/domain/customer-key.schema.json, which the JSON Schemas refer to and CUSTOMER_KEY reads', () => {
    expect(CUSTOMER_KEY.test('lumen-north')).to.equal(true);
    expect(CUSTOMER_KEY.test('../demo')).to.equal(false);
    expect(filesMatching(/\[a-z0-9\]\[a-z0-9_-\]/, sources), 'no second spelling of the pattern in TypeScript').to.deep.equal([]);
  });

  it("the default profile's name: DEFAULT_PROFILE (src/profile/constants.ts)", () => {
    expect(DEFAULT_PROFILE).to.equal('default');
    expect(filesMatching(/(=|return|\?\?)\s*'default'/, sources)).to.deep.equal(['src/profile/constants.ts']);
  });
});
