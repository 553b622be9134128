import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { effectiveSettings, parseRunOverrides } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';

const profile = new FileProfiles('profiles').resolve('nobody-has-this-profile');

describe('run settings', () => {
  it('takes every value from the profile when the run gives none', () => {
    const settings = effectiveSettings(profile);
    expect(settings).to.include({ targetRps: profile.rates.targetRps, migrateCompletedProjects: profile.runOptions.migrateCompletedProjects, retryFailed: false });
  });

  it('lets run options override the profile and derives the loop bounds from the result', () => {
    const settings = effectiveSettings(profile, { targetRps: 7, planboardSecondsToWait: 30, planboardPollSeconds: 4, drainTimeoutSeconds: 10, drainPollSeconds: 3 });
    expect(settings).to.include({ targetRps: 7, planboardMaxPolls: 8, drainMaxPolls: 4 });
  });

  it('refuses an unknown option, a wrong type and a value out of range, naming the option', () => {
    expect(() => parseRunOverrides({ speed: 1 })).to.throw(InvalidInputError, /unknown run option speed/);
    expect(() => parseRunOverrides({ retryFailed: 'yes' })).to.throw(InvalidInputError, /retryFailed must be true or false/);
    expect(() => parseRunOverrides({ targetRps: 0 })).to.throw(InvalidInputError, /targetRps must be a number from/);
  });
});
