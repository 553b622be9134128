import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { BASE_PORT, CUSTOMER, E2E_CUSTOMERS, E2E_FILES, e2eFile, FILE_PORTS } from '../e2e/helpers.ts';
import { aloneFilesIn, wholeFolderGlob } from '../../tooling/test-runner/options.ts';

/** The e2e files side by side (make test-e2e): each needs its own line in E2E_FILES, hence its own customer and ports. */
describe('the e2e files: one customer and one port block each', () => {
  const url = (name: string): string => new URL(`../e2e/${name}.test.ts`, import.meta.url).href;

  it('lists every test/e2e/*.test.ts file in E2E_FILES, once, and no file that is not there', () => {
    const files = readdirSync(new URL('../e2e/', import.meta.url))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => name.slice(0, -'.test.ts'.length));
    expect([...E2E_FILES].sort()).to.deep.equal(files.sort());
    expect(new Set(E2E_FILES).size).to.equal(E2E_FILES.length);
  });

  it('has a time for every e2e file, the integration suite and each integration file that runs alone in test/durations.json (the order of a clean clone, slowest first) and none for a file that is gone', () => {
    const durations = JSON.parse(readFileSync(new URL('../durations.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const jobs = [wholeFolderGlob('test/integration'), ...aloneFilesIn(['test/integration']), ...E2E_FILES.map((name) => `test/e2e/${name}.test.ts`)];
    expect(Object.keys(durations).sort()).to.deep.equal(jobs.sort());
    for (const ms of Object.values(durations)) expect(ms).to.be.a('number').above(0);
  });

  it('gives each file a customer of its own and a block of FILE_PORTS ports after the integration tests, none shared', () => {
    const blocks = E2E_FILES.map((name) => e2eFile(url(name)));
    expect(new Set(blocks.map((file) => file.customer)).size).to.equal(E2E_FILES.length);
    expect(blocks.map((file) => file.customer)).to.deep.equal(E2E_CUSTOMERS);
    const ports = blocks.flatMap((file) => Array.from({ length: FILE_PORTS }, (_, i) => file.basePort + i));
    expect(new Set(ports).size).to.equal(ports.length);
    expect(Math.min(...ports), "below are the integration tests' ports").to.equal(BASE_PORT + 45);
    expect(e2eFile(url('restore-chain'))).to.deep.equal({
      name: 'restore-chain',
      customer: `${CUSTOMER}_restore_chain`,
      basePort: BASE_PORT + 45 + 5 * E2E_FILES.indexOf('restore-chain'),
    });
  });

  it('refuses a file that is not in E2E_FILES, saying where to add it', () => {
    expect(() => e2eFile(url('no-such-scenario'))).to.throw(
      'no-such-scenario.test.ts is not in E2E_FILES (test/e2e/helpers.ts): add its line there, it gives the file its customer and ports',
    );
  });
});
