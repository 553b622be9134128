import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { tenantOf } from '../../../src/profile/resolve-profile.ts';

const PROFILES = fileURLToPath(new URL('../../../profiles/', import.meta.url));

describe('profile files of the repository', () => {
  it('resolve every example customer, two of them through one client profile', () => {
    const profiles = new FileProfiles(PROFILES);
    for (const customer of ['default', 'northwind', 'lumen-north', 'lumen-south', 'customer-without-file']) {
      expect(profiles.resolve(customer).timeZone, customer).to.equal('Europe/Amsterdam');
    }
    const south = profiles.resolve('lumen-south');
    expect(south.profiles).to.deep.equal(['default', 'client-lumen', 'lumen-south']);
    expect(south.rates).to.deep.equal({ targetRps: 15, sourceRps: 5 });
    expect(profiles.resolve('customer-without-file').profiles).to.deep.equal(['default']);
    expect(profiles.load('nobody')).to.equal(undefined);
  });

  it('give lumen-north and lumen-south one FiberConnect tenant through their client profile; every other customer has its own', () => {
    const profiles = new FileProfiles(PROFILES);
    expect(['lumen-north', 'lumen-south', 'northwind', 'demo'].map((customer) => tenantOf(profiles.resolve(customer)))).to.deep.equal([
      'lumen',
      'lumen',
      'northwind',
      'demo',
    ]);
  });
});
