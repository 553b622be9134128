import { expect } from 'chai';
import { normaliseTargetUrl, sameTarget, STANDIN_SLUG, targetSlug } from '../../../tooling/cli/runtime-state.ts';

describe('one local runtime state per target', () => {
  it('names a target by scheme, host, port and path, with the default port filled in and a trailing slash dropped', () => {
    expect(normaliseTargetUrl('HTTPS://API.FiberConnect.example/v1/')).to.equal('https://api.fiberconnect.example:443/v1');
    expect(normaliseTargetUrl('http://user:secret@127.0.0.1:4010/?x=1#top')).to.equal('http://127.0.0.1:4010');
    expect(sameTarget('https://api.example', 'https://api.example:443/')).to.equal(true);
    expect(sameTarget('https://api.example', 'https://test.api.example')).to.equal(false);
  });

  it('gives one slug to spellings of one target and different slugs to different scheme, host, port or path', () => {
    const slug = targetSlug('https://api.example/v1');
    expect(slug).to.match(/^https-api\.example-443-v1-[0-9a-f]{8}$/);
    expect(targetSlug('HTTPS://api.example:443/v1/')).to.equal(slug);
    const others = ['http://api.example/v1', 'https://api2.example/v1', 'https://api.example:8443/v1', 'https://api.example/v2', 'https://api.example/v-1'].map(
      targetSlug,
    );
    expect(new Set([slug, ...others]).size).to.equal(6);
  });

  it('gives the local stand-in, whose port changes at every start, a slug of its own', () => {
    expect(targetSlug(undefined)).to.equal(STANDIN_SLUG);
    expect(targetSlug('http://127.0.0.1:4010')).to.not.equal(STANDIN_SLUG);
  });
});
