import { expect } from 'chai';
import { localToInstant } from '../../../tooling/seed/local-time.ts';

const ZONE = 'Europe/Amsterdam';

describe('localToInstant', () => {
  it('converts summer and winter local times with +02:00 and +01:00', () => {
    expect(localToInstant('2024-05-01 09:30:00', ZONE)).to.equal(Date.parse('2024-05-01T09:30:00+02:00'));
    expect(localToInstant('2024-01-15 09:30:00', ZONE)).to.equal(Date.parse('2024-01-15T09:30:00+01:00'));
  });

  it('returns undefined for a time in the spring-forward gap', () => {
    expect(localToInstant('2024-03-31 02:30:00', ZONE)).to.equal(undefined);
    expect(localToInstant('2024-03-31 03:00:00', ZONE)).to.equal(Date.parse('2024-03-31T03:00:00+02:00'));
  });

  it('takes the earlier, summer-time offset for an ambiguous autumn time', () => {
    expect(localToInstant('2024-10-27 02:30:00', ZONE)).to.equal(Date.parse('2024-10-27T02:30:00+02:00'));
  });
});
