import { expect } from 'chai';
import defaultProfile from '../../../profiles/default.json' with { type: 'json' };
import { ProfileError } from '../../../src/domain/errors.ts';
import { RUN_OPTIONS, type RunOptionDefinition } from '../../../src/profile/run-options.ts';
import { effectiveSettings } from '../../../src/pipeline/run-settings.ts';
import { FileProfiles } from '../../../src/profile/file-profiles.ts';
import { assertCompleteProfile, assertProfileFile } from '../../../src/profile/validate-profile.ts';

const options: readonly RunOptionDefinition[] = RUN_OPTIONS;
const profileValue = (option: RunOptionDefinition): unknown =>
  option.profile ? (defaultProfile as unknown as Record<string, Record<string, unknown>>)[option.profile]?.[option.name] : undefined;

function profileIssues(check: () => void): string[] {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(ProfileError);
    return (error as ProfileError).context.issues ?? [];
  }
  return expect.fail('expected a ProfileError');
}

describe('run options: one definition each (src/profile/run-options.ts)', () => {
  it('gives every option one default: its own, or the value profiles/default.json holds, never both', () => {
    for (const option of options) {
      const fromProfile = profileValue(option);
      expect(option.default !== undefined || fromProfile !== undefined, `${option.name} has a default`).to.equal(true);
      expect(option.default !== undefined && fromProfile !== undefined, `${option.name} has one default`).to.equal(false);
    }
  });

  it('gives every number a range and a unit, no flag either, and every CLI variable to one option', () => {
    for (const option of options) {
      if (option.type === 'boolean') expect([option.range, option.unit], option.name).to.deep.equal([undefined, undefined]);
      else expect(option.range![0] <= option.range![1] && Boolean(option.unit), option.name).to.equal(true);
    }
    const variables = options.flatMap((option) => (option.variable ? [option.variable] : []));
    expect(new Set(variables).size).to.equal(variables.length);
    expect(new Set(options.map((option) => option.name)).size).to.equal(options.length);
  });

  it('takes each option from its profile group, else its default, when the run gives none', () => {
    const profile = new FileProfiles('profiles').resolve('nobody-has-this-profile');
    const settings = effectiveSettings(profile) as unknown as Record<string, unknown>;
    for (const option of options) expect(settings[option.name], option.name).to.equal(profileValue(option) ?? option.default);
    expect(Object.keys(settings).sort()).to.deep.equal([...options.map((option) => option.name), 'consumerBatchSize'].sort());
  });

  it("checks a profile's runOptions against the definitions: names, types and ranges", () => {
    expect(profileIssues(() => assertProfileFile('acme', { runOptions: { queueBacklog: 2000, maxAttempts: 21, planboardPollSeconds: 2.5 } }))).to.deep.equal([
      'runOptions.queueBacklog is not a profile setting',
      'runOptions.planboardPollSeconds must be integer',
      'runOptions.maxAttempts must be <= 20',
    ]);
    expect(() => assertProfileFile('acme', { runOptions: { deleteMissingMaxShare: 0.3, requestTimeoutSeconds: 900 } })).to.not.throw();
  });

  it('wants every profile runOption without a default of a merged profile, and lets one with a default be left out', () => {
    expect(defaultProfile.runOptions).to.not.have.property('deleteMissingMaxShare');
    expect(() => assertCompleteProfile('acme', ['default'], defaultProfile)).to.not.throw();
    const { maxAttempts: _, ...lacking } = defaultProfile.runOptions;
    expect(profileIssues(() => assertCompleteProfile('acme', ['default'], { ...defaultProfile, runOptions: lacking }))).to.deep.equal([
      "runOptions.maxAttempts must have required property 'maxAttempts'",
    ]);
  });
});
