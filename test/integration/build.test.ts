import { expect } from 'chai';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const handlers = readdirSync('functions').filter((name) => statSync(join('functions', name)).isDirectory());

/** Loads a bundle in a fresh worker thread (its own module scope) and reports what it exports. */
function exportsOf(bundle: string): Promise<string[]> {
  const worker = new Worker(`import(${JSON.stringify(new URL(`file://${bundle}`).href)}).then((m) => require('node:worker_threads').parentPort.postMessage(Object.keys(m)))`, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', (keys: string[]) => {
      resolve(keys);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('make build: one bundle per handler (run after `make build`)', () => {
  it('has the handlers of the design: configure, workflows, e-mail, producer, consumer, drain and jobs checks, report, redrive, the stage pre-check, the verification, DELETE_MISSING, the rollback', () => {
    expect(handlers).to.have.members(['configure', 'save-workflows', 'deactivate-workflows', 'restore-workflows', 'email-off', 'email-restore', 'producer', 'consumer', 'drain-check', 'jobs-check', 'report', 'redrive', 'precheck', 'verify', 'delete-missing', 'rollback-producer', 'rollback-report']);
  });

  for (const name of handlers) {
    it(`bundles ${name} into dist/${name}/index.mjs with a source map, exporting handler`, async () => {
      const bundle = join(process.cwd(), 'dist', name, 'index.mjs');
      expect(existsSync(bundle), `${bundle} exists`).to.equal(true);
      expect(existsSync(`${bundle}.map`), 'source map').to.equal(true);
      expect(await exportsOf(bundle)).to.include('handler');
    });
  }
});
