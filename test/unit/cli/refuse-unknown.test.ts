import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { demoMissing } from '../../../tooling/cli/demo-seed.ts';
import { runtimeSettingsFromEnv } from '../../../tooling/cli/entry.ts';
import { runCli } from '../../../tooling/cli/commands.ts';
import { nearestName, unknownEnvironmentOptions } from '../../../tooling/cli/option-names.ts';
import { CLI_OPTIONS, parseMigrateEnv } from '../../../tooling/cli/options.ts';
import { STANDIN_ENVIRONMENT } from '../../../tooling/standin/config.ts';

/** Runs the CLI's command line in this process; what it printed on stderr and the exit code it set. */
async function cliLine(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | undefined; stderr: string }> {
  const errors: string[] = [];
  const original = console.error;
  const exitCode = process.exitCode;
  console.error = (...parts: unknown[]) => void errors.push(parts.join(' '));
  try {
    await runCli(argv, env);
    return { code: process.exitCode as number | undefined, stderr: errors.join('\n') };
  } finally {
    console.error = original;
    process.exitCode = exitCode;
  }
}

describe('the CLI refuses what it does not understand (one line, exit 2, nothing started)', () => {
  it('refuses an unknown NAME=value argument, naming it and the nearest known name: DRYRUN=1 never migrates', async () => {
    const { code, stderr } = await cliLine(['migrate', 'CUSTOMER=demo', 'DRYRUN=1'], {});
    expect(code).to.equal(2);
    expect(stderr).to.equal('migrate: unknown option DRYRUN (did you mean DRY_RUN?): nothing was started (fiberplan-migrate --help lists the options)');
  });

  it('names every unknown argument and environment option at once, each with its nearest name when one is near', async () => {
    const { code, stderr } = await cliLine(['verify', 'CUSTOMER=demo', 'TARGETRPS=5', 'COLOUR=blue'], { CONCURENCY: '2', PATH: '/usr/bin' });
    expect(code).to.equal(2);
    expect(stderr.split('\n')).to.have.length(1);
    expect(stderr).to.include('unknown options TARGETRPS (did you mean TARGET_RPS?), COLOUR, CONCURENCY (did you mean CONCURRENCY?) in the environment');
  });

  it('says "a make variable" for a name that came through make (make migrate CUSTOMER=demo DRYRUN=1)', async () => {
    const { code, stderr } = await cliLine(['migrate'], { CUSTOMER: 'demo', DRYRUN: '1', MAKELEVEL: '1' });
    expect(code).to.equal(2);
    expect(stderr).to.equal(
      'migrate: unknown option DRYRUN (did you mean DRY_RUN?) as a make variable or in the environment: nothing was started (fiberplan-migrate --help lists the options)',
    );
  });

  it("takes an environment variable as the CLI's only when it is of its family: a prefix of its own or a near miss of an option", () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/root',
      SHELL: '/bin/bash',
      AWS_PROFILE: 'dev',
      E2E_STAGE: 'dev',
      E2E_BASE_PORT: '5400',
      NODE_OPTIONS: '--x',
      CI: 'true',
      SEED: '3',
      SCALE: '2',
      MAKEFLAGS: 'DRYRUN=1',
      FIBERCONNECT_RATE: '0',
      FIBERCONNECT_HOST: '127.0.0.1',
      LOCAL_BASE_PORT: '47560',
      DRY_RUN: '1',
      EMPTY_TYPO: '',
      DRYRUN: '1',
      dry_run: '1',
      STAEG: 'dev',
      LOCAL_BASEPORT: '1',
      FIBERCONNECT_TOKN: 'x',
      LEGACY_DB: 'mysql://x',
      DRY_RU: '',
    };
    expect(unknownEnvironmentOptions(env, CLI_OPTIONS, STANDIN_ENVIRONMENT)).to.deep.equal([
      'DRYRUN',
      'FIBERCONNECT_TOKN',
      'LEGACY_DB',
      'LOCAL_BASEPORT',
      'STAEG',
      'dry_run',
    ]);
  });

  it('suggests the nearest known name only when it is near', () => {
    expect(nearestName('RETRYFAILED', CLI_OPTIONS)).to.equal('RETRY_FAILED');
    expect(nearestName('LOCAL_BASEPORT', CLI_OPTIONS)).to.equal('LOCAL_BASE_PORT');
    expect(nearestName('COLOUR', CLI_OPTIONS)).to.equal(undefined);
  });

  it("refuses CONCURRENCY on a stage, whose consumers' concurrency is Terraform's, instead of ignoring it", () => {
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', STAGE: 'dev', CONCURRENCY: '8' })).to.throw(
      InvalidInputError,
      /^CONCURRENCY cannot be set for a run on a stage/,
    );
    expect(parseMigrateEnv({ CUSTOMER: 'acme', CONCURRENCY: '8' }).overrides).to.deep.equal({ consumers: 8 });
  });

  it('keeps numeric options in sane ranges, one line each', () => {
    for (const [env, line] of [
      [{ CONCURRENCY: '1000' }, /^CONCURRENCY must be a whole number from 1 to 32 on the local runtime \(got "1000"\)$/],
      [{ CONCURRENCY: '2.5' }, /^CONCURRENCY must be a whole number from 1 to 32/],
      [{ TARGET_RPS: '0' }, /^TARGET_RPS: option targetRps must be a number from 0\.1 to 10000$/],
      [{ SOURCE_RPS: '100000' }, /^SOURCE_RPS: option sourceRps must be a number from 0\.1 to 10000$/],
      [{ QUEUE_BACKLOG: '5' }, /^QUEUE_BACKLOG: option queueBacklog must be a number from 10 to/],
      [{ TARGET_RPS: '-3' }, /^TARGET_RPS must be a positive number \(got "-3"\)$/],
    ] as const) {
      expect(() => parseMigrateEnv({ CUSTOMER: 'acme', ...env }), JSON.stringify(env)).to.throw(InvalidInputError, line);
    }
    expect(() => runtimeSettingsFromEnv({ LOCAL_CONSUMER_TIMEOUT_SECONDS: 'soon' })).to.throw(
      InvalidInputError,
      /^LOCAL_CONSUMER_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 900/,
    );
  });

  it('refuses a LEGACY_DB_URL with a raw % in one line, without the password, before anything starts', () => {
    const url = 'mysql://root:50%off@127.0.0.1:3306';
    expect(() => parseLegacyDbUrl(url)).to.throw(
      InvalidInputError,
      'LEGACY_DB_URL: its password holds a % that is not followed by two hex digits (write a % itself as %25)',
    );
    expect(() => parseMigrateEnv({ CUSTOMER: 'acme', LEGACY_DB_URL: url }))
      .to.throw(InvalidInputError)
      .with.property('message')
      .that.does.not.include('50%off');
    expect(parseLegacyDbUrl('mysql://root:50%25off@127.0.0.1:3306').password).to.equal('50%off');
  });
});

describe('the demo auto-seed touches only a server on this machine, and only when the registry says demo is missing', () => {
  const registry = (answer: () => Promise<string[]>) => ({ listCustomers: answer });
  const failure = (code: string) => async () => Promise.reject(Object.assign(new Error(code), { code }));

  it('seeds on a loopback server whose registry lacks demo, or was never created', async () => {
    expect(
      await demoMissing(
        registry(async () => ['acme']),
        '127.0.0.1',
        () => undefined,
      ),
    ).to.equal(true);
    expect(await demoMissing(registry(failure('ER_BAD_DB_ERROR')), 'localhost', () => undefined)).to.equal(true);
    expect(
      await demoMissing(
        registry(async () => ['demo']),
        '127.0.0.1',
        () => undefined,
      ),
    ).to.equal(false);
  });

  it('never seeds a server on another host: one line says how to seed it on purpose', async () => {
    const lines: string[] = [];
    expect(
      await demoMissing(
        registry(async () => []),
        'db.example.internal',
        (line) => void lines.push(line),
      ),
    ).to.equal(false);
    expect(lines).to.deep.equal([
      'customer demo is not in the legacy registry at db.example.internal: the demo is seeded only on a server on this machine (127.0.0.1); make seed CUSTOMER=demo LEGACY_DB_URL=... seeds it there on purpose',
    ]);
  });

  it('never takes a registry read error for "demo missing": one line, nothing seeded', async () => {
    const error = await demoMissing(registry(failure('ER_TABLEACCESS_DENIED_ERROR')), '127.0.0.1', () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.equal(
      'the legacy registry at 127.0.0.1 could not be read (ER_TABLEACCESS_DENIED_ERROR): the demo is not seeded over a read error',
    );
  });
});
