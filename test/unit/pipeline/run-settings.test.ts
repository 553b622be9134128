import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { MAX_QUEUE_BACKLOG } from '../../../src/profile/run-options.ts';
import { effectiveSettings, parseRunOverrides } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';

const profile = new FileProfiles('profiles').resolve('nobody-has-this-profile');

describe('run settings', () => {
  it('takes every value from the profile when the run gives none', () => {
    const settings = effectiveSettings(profile);
    expect(settings).to.include({
      targetRps: profile.rates.targetRps,
      migrateCompletedProjects: profile.runOptions.migrateCompletedProjects,
      retryFailed: false,
    });
  });

  it('lets run options override the profile', () => {
    const settings = effectiveSettings(profile, {
      targetRps: 7,
      planboardSecondsToWait: 30,
      planboardPollSeconds: 4,
      drainTimeoutSeconds: 10,
      drainPollSeconds: 3,
    });
    expect(settings).to.include({ targetRps: 7, planboardSecondsToWait: 30, planboardPollSeconds: 4, drainTimeoutSeconds: 10, drainPollSeconds: 3 });
  });

  it('has no poll-count bound: the waits are bounded by lack of progress, not by a number of polls', () => {
    expect(effectiveSettings(profile)).to.not.have.any.keys('drainMaxPolls', 'planboardMaxPolls');
  });

  it('refuses fractional seconds for the options a Wait state reads (SecondsPath takes whole seconds)', () => {
    for (const name of ['planboardSecondsToWait', 'planboardPollSeconds', 'drainTimeoutSeconds', 'drainPollSeconds']) {
      expect(() => parseRunOverrides({ [name]: 2.5 }), name).to.throw(InvalidInputError, new RegExp(`${name} must be a whole number of seconds`));
    }
    expect(parseRunOverrides({ drainPollSeconds: 3 })).to.deep.equal({ drainPollSeconds: 3 });
  });

  it('lets producers run ahead by MAX_QUEUE_BACKLOG messages unless the run sets a lower queueBacklog, never a higher one', () => {
    expect(effectiveSettings(profile).queueBacklog).to.equal(MAX_QUEUE_BACKLOG);
    expect(effectiveSettings(profile, parseRunOverrides({ queueBacklog: 2000 })).queueBacklog).to.equal(2000);
    expect(() => parseRunOverrides({ queueBacklog: MAX_QUEUE_BACKLOG + 1 })).to.throw(InvalidInputError, /queueBacklog must be a number from 10 to 100000/);
    expect(() => parseRunOverrides({ queueBacklog: 5 })).to.throw(InvalidInputError, /queueBacklog must be a number from 10/);
  });

  it('refuses an unknown option, a wrong type and a value out of range, naming the option', () => {
    expect(() => parseRunOverrides({ speed: 1 })).to.throw(InvalidInputError, /unknown run option speed/);
    expect(() => parseRunOverrides({ retryFailed: 'yes' })).to.throw(InvalidInputError, /retryFailed must be true or false/);
    expect(() => parseRunOverrides({ targetRps: 0 })).to.throw(InvalidInputError, /targetRps must be a number from/);
  });
});
