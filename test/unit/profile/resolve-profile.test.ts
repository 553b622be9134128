import { expect } from 'chai';
import { ProfileError } from '../../../src/domain/errors.ts';
import { resolveProfile } from '../../../src/profile/resolve-profile.ts';

const DEFAULT = {
  timeZone: 'Europe/Amsterdam',
  statusMaps: {},
  rates: { targetRps: 20, sourceRps: 20 },
  batchSizes: { sourceBatchSize: 500, recordsPerMessage: 10, consumerBatchSize: 10 },
  concurrency: { producers: 4, messageGroups: 16, consumers: 4 },
  runOptions: {
    migrateCompletedProjects: false,
    migrateOnlyPlanboard: false,
    planboardSecondsToWait: 600,
    planboardPollSeconds: 10,
    drainTimeoutSeconds: 900,
    maxAttempts: 5,
    requestTimeoutSeconds: 30,
  },
};

function loaderOf(files: Record<string, unknown>): (name: string) => unknown {
  return (name) => files[name];
}

function profileErrorOf(action: () => unknown): ProfileError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(ProfileError);
    return error as ProfileError;
  }
  return expect.fail('expected a ProfileError');
}

describe('customer profiles', () => {
  it('falls back to the default profile for a customer without a file', () => {
    const profile = resolveProfile('acme', loaderOf({ default: DEFAULT }));
    expect(profile).to.deep.equal({ customer: 'acme', profiles: ['default'], ...DEFAULT });
  });

  it("merges a customer's file over default, the customer winning key by key", () => {
    const profile = resolveProfile(
      'northwind',
      loaderOf({
        default: DEFAULT,
        northwind: { rates: { targetRps: 5 }, runOptions: { migrateCompletedProjects: true } },
      }),
    );
    expect(profile.profiles).to.deep.equal(['default', 'northwind']);
    expect(profile.rates).to.deep.equal({ targetRps: 5, sourceRps: 20 });
    expect(profile.runOptions).to.include({ migrateCompletedProjects: true, planboardSecondsToWait: 600 });
  });

  it('lets two customers share one client profile through extends', () => {
    const files = {
      default: DEFAULT,
      'client-lumen': { statusMaps: { assignments: { status: { gereed: 'DONE' } } }, rates: { targetRps: 15 } },
      'lumen-north': { extends: 'client-lumen' },
      'lumen-south': { extends: 'client-lumen', rates: { sourceRps: 5 } },
    };
    const north = resolveProfile('lumen-north', loaderOf(files));
    const south = resolveProfile('lumen-south', loaderOf(files));
    expect(north.profiles).to.deep.equal(['default', 'client-lumen', 'lumen-north']);
    expect([north.rates, south.rates]).to.deep.equal([
      { targetRps: 15, sourceRps: 20 },
      { targetRps: 15, sourceRps: 5 },
    ]);
    expect(south.statusMaps).to.deep.equal({ assignments: { status: { gereed: 'DONE' } } });
  });

  it('reports an extends cycle with the chain', () => {
    const error = profileErrorOf(() => resolveProfile('a', loaderOf({ default: DEFAULT, a: { extends: 'b' }, b: { extends: 'a' } })));
    expect(error.message).to.contain('a → b → a');
  });

  it('reports a parent that does not exist, naming the file that extends it', () => {
    const error = profileErrorOf(() => resolveProfile('a', loaderOf({ default: DEFAULT, a: { extends: 'ghost' } })));
    expect(error.message).to.equal('profile "a" (a.json) extends "ghost", which does not exist');
  });

  it('reports a schema error naming the file and the field', () => {
    const error = profileErrorOf(() => resolveProfile('acme', loaderOf({ default: DEFAULT, acme: { rates: { targetRps: 0 } } })));
    expect(error.message).to.contain('acme.json').and.to.contain('rates.targetRps must be > 0');
    expect(error.context.issues).to.deep.equal(['rates.targetRps must be > 0']);
  });

  it('reports a time zone that is not an IANA zone', () => {
    const error = profileErrorOf(() => resolveProfile('acme', loaderOf({ default: DEFAULT, acme: { timeZone: 'CEST' } })));
    expect(error.context.issues).to.deep.equal(['timeZone is not an IANA time zone']);
  });

  it('reports an unknown setting and a status map target the target does not know', () => {
    const error = profileErrorOf(() =>
      resolveProfile(
        'acme',
        loaderOf({
          default: DEFAULT,
          acme: { rateLimit: 3, statusMaps: { projects: { status: { 'on hold': 'PAUSED' } } } },
        }),
      ),
    );
    expect(error.context.issues).to.deep.equal([
      'rateLimit is not a profile setting',
      'statusMaps.projects.status.on hold must be one of PLANNED, IN_PROGRESS, COMPLETED, CANCELLED',
    ]);
  });

  it('reports a profile that lacks settings after merging', () => {
    const error = profileErrorOf(() => resolveProfile('acme', loaderOf({ acme: { timeZone: 'Europe/Amsterdam' } })));
    expect(error.message).to.contain('is incomplete').and.to.contain('statusMaps');
  });

  it('refuses a customer name that is not a safe file name', () => {
    profileErrorOf(() => resolveProfile('../secrets', loaderOf({ default: DEFAULT })));
  });

  it('reports a missing default profile', () => {
    expect(profileErrorOf(() => resolveProfile('acme', loaderOf({}))).message).to.equal('profile "default" does not exist');
  });
});
