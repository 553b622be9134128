import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { parseSeedOptions } from '../../../tooling/seed/options.ts';

describe('parseSeedOptions', () => {
  it('applies the defaults customer demo, SEED 1, SCALE 1, DIRT 0.05', () => {
    expect(parseSeedOptions({})).to.deep.equal({ customer: 'demo', seed: 1, scale: 1, dirt: 0.05 });
  });

  it('reads CUSTOMER, SEED, SCALE and DIRT', () => {
    expect(parseSeedOptions({ CUSTOMER: 'acme', SEED: '42', SCALE: '0.5', DIRT: '0' })).to.deep.equal({
      customer: 'acme',
      seed: 42,
      scale: 0.5,
      dirt: 0,
    });
  });

  for (const [name, env] of [
    ['a customer that is not a database-name part', { CUSTOMER: 'Acme-1' }],
    ['a SEED that is not an integer', { SEED: '1.5' }],
    ['a SCALE of zero', { SCALE: '0' }],
    ['a SCALE that is not a number', { SCALE: 'big' }],
    ['a DIRT above 1', { DIRT: '1.5' }],
    ['a negative DIRT', { DIRT: '-0.1' }],
  ] as const) {
    it(`refuses ${name} with a one-line InvalidInputError`, () => {
      expect(() => parseSeedOptions(env))
        .to.throw(InvalidInputError)
        .that.satisfies((error: Error) => !error.message.includes('\n'));
    });
  }
});

describe('parseLegacyDbUrl', () => {
  it('defaults to root on 127.0.0.1:3306 without a password', () => {
    expect(parseLegacyDbUrl()).to.deep.equal({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  });

  it('reads user, percent-encoded password, port and database', () => {
    expect(parseLegacyDbUrl('mysql://app:p%40ss@db.example:3307/fiberplan_registry')).to.deep.equal({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'fiberplan_registry',
    });
  });

  it('refuses a URL of another protocol', () => {
    expect(() => parseLegacyDbUrl('postgres://root@localhost')).to.throw(InvalidInputError, /mysql:\/\//);
  });
});
