import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

const handlers = readdirSync('functions').filter((name) => statSync(join('functions', name)).isDirectory());

/** Loads a bundle in a fresh worker thread (its own module scope) and reports what it exports. */
function exportsOf(bundle: string): Promise<string[]> {
  const worker = new Worker(
    `import(${JSON.stringify(new URL(`file://${bundle}`).href)}).then((m) => require('node:worker_threads').parentPort.postMessage(Object.keys(m)))`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (keys: string[]) => {
      resolve(keys);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/**
 * The packages a bundle's files were built from (their source maps), following
 * its static imports only (what its init loads), or its dynamic ones too.
 */
function packagesLoaded(bundle: string, withDynamic: boolean): Set<string> {
  const files = [bundle];
  const pattern = withDynamic ? /(?:from\s*|import\s*\(\s*)"(\.\/[^"]+\.mjs)"/g : /from\s*"(\.\/[^"]+\.mjs)"/g;
  const packages = new Set<string>();
  for (let i = 0; i < files.length; i += 1) {
    const file = files[i]!;
    for (const [, relative] of readFileSync(file, 'utf8').matchAll(pattern)) {
      const next = join(dirname(file), relative!);
      if (!files.includes(next)) files.push(next);
    }
    const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
      if (match) packages.add(match[1]!);
    }
  }
  return packages;
}

describe('make build: one bundle per handler (run after `make build`)', () => {
  it('has the handlers of the design: configure, workflows, e-mail, producer, consumer, drain and jobs checks, report, redrive, the stage pre-check, the verification, DELETE_MISSING, the rollback', () => {
    expect(handlers).to.have.members([
      'configure',
      'save-workflows',
      'deactivate-workflows',
      'restore-workflows',
      'email-off',
      'email-restore',
      'producer',
      'consumer',
      'drain-check',
      'jobs-check',
      'report',
      'redrive',
      'precheck',
      'verify',
      'delete-missing',
      'rollback-producer',
      'rollback-report',
    ]);
  });

  for (const name of handlers) {
    it(`bundles ${name} into dist/${name}/index.mjs with a source map, exporting handler`, async () => {
      const bundle = join(process.cwd(), 'dist', name, 'index.mjs');
      expect(existsSync(bundle), `${bundle} exists`).to.equal(true);
      expect(existsSync(`${bundle}.map`), 'source map').to.equal(true);
      expect(await exportsOf(bundle)).to.include('handler');
    });
  }

  it('loads the legacy driver (mysql2) and the target client (undici) only in functions that use them: drain-check and report init without either', () => {
    for (const name of ['drain-check', 'report']) {
      const atInit = packagesLoaded(join('dist', name, 'index.mjs'), false);
      expect(atInit.has('mysql2'), `${name} loads mysql2 at init`).to.equal(false);
      expect(atInit.has('undici'), `${name} loads undici at init`).to.equal(false);
      expect(atInit.has('@aws-sdk/client-dynamodb'), `${name} has DynamoDB`).to.equal(true);
    }
    expect(packagesLoaded(join('dist', 'producer', 'index.mjs'), true).has('mysql2'), 'the producer reaches mysql2').to.equal(true);
    expect(packagesLoaded(join('dist', 'consumer', 'index.mjs'), false).has('undici'), 'the consumer loads undici at init').to.equal(true);
  });

  it("reaches the Parameter Store client only from functions that read a parameter at init, though every function imports src/ through the folders' faces", () => {
    for (const name of ['drain-check', 'jobs-check', 'precheck', 'producer', 'redrive', 'rollback-producer', 'delete-missing']) {
      const atInit = packagesLoaded(join('dist', name, 'index.mjs'), false);
      expect(atInit.has('@aws-sdk/client-ssm'), `${name} loads the SSM client at init`).to.equal(false);
      expect(atInit.has('mysql2') || atInit.has('undici'), `${name} loads mysql2 or undici at init`).to.equal(false);
    }
    expect(packagesLoaded(join('dist', 'precheck', 'index.mjs'), true).has('@aws-sdk/client-ssm'), 'the precheck reaches it on first use').to.equal(true);
    for (const name of ['configure', 'consumer', 'report', 'verify'])
      expect(packagesLoaded(join('dist', name, 'index.mjs'), false).has('@aws-sdk/client-ssm'), `${name} loads the SSM client at init`).to.equal(true);
  });
});
