// Runs alone: three local runtimes started one after the other, with their functions prewarmed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { startLocalRuntime } from '../../../tooling/cli/local-runtime.ts';
import { runtimeSettingsFromEnv } from '../../../tooling/cli/entry.ts';
import { BASE_PORT, temporaryFolder } from '../../e2e/helpers.ts';
import type { MemoryReading } from '../../../tooling/local/memory-log.ts';

describe('the local runtime state of the CLI across restarts and ports', function () {
  this.timeout(120_000);
  const folder = temporaryFolder('cli-state-');
  // Beside the end-to-end runtime's ports, so both can run at once.
  const first = BASE_PORT + 10;
  const other = BASE_PORT + 20;
  after(() => folder.remove());

  it('starts again on the port its state was created on, with the same queues', async () => {
    const created = await startLocalRuntime({ dataDir: folder.path, basePort: first, eventSources: false });
    const queues = created.stack.queueUrls;
    await created.close();
    const again = await startLocalRuntime({ dataDir: folder.path, basePort: first, eventSources: false });
    try {
      expect(again.stack.queueUrls).to.deep.equal(queues);
      expect(new URL(queues.projects).port).to.equal(String(first));
    } finally {
      await again.close();
    }
  });

  it('refuses, in one line that says what to do, state created on another port, and frees the ports again', async () => {
    const error = await startLocalRuntime({ dataDir: folder.path, basePort: other, eventSources: false }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.equal(
      `the local runtime in ${folder.path} was created on base port ${first}, not ${other}: run make clean (starts over) or set LOCAL_BASE_PORT=${first}`,
    );
    const back = await startLocalRuntime({ dataDir: folder.path, basePort: other, eventSources: false }).then(
      (runtime) => runtime.close(),
      (failure: unknown) => failure,
    );
    expect((back as Error).message, 'the refused start left nothing listening').to.match(/created on base port/);
  });

  it("prewarms the producer as many times as the customer's profile runs producers at once (a customer without one: the default profile's), and each other function of the workflow once", async () => {
    const state = temporaryFolder('cli-prewarm-');
    const log = join(state.path, 'memory.jsonl');
    const profiles = JSON.parse(readFileSync(new URL('../../../dist/profiles.json', import.meta.url), 'utf8')) as Record<
      string,
      { concurrency: { producers: number } }
    >;
    const runtime = await startLocalRuntime({
      dataDir: state.path,
      basePort: first,
      eventSources: false,
      prewarm: 'migration',
      targetTokens: { 'no-profile-customer': 'token' },
      memoryLog: log,
    });
    try {
      const instances = async (): Promise<Record<string, number>> => {
        const last = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).at(-1) : undefined;
        const functions = last ? (JSON.parse(last) as MemoryReading).functions : {};
        return Object.fromEntries(Object.entries(functions).map(([name, usage]) => [name.replace('fiberplan-migration-local-', ''), usage.instances]));
      };
      const expected = profiles.default!.concurrency.producers;
      for (let look = 0; look < 60 && (await instances()).producer !== expected; look += 1) await sleep(1_000);
      const warm = await instances();
      expect(warm.producer, 'producer instances').to.equal(expected);
      expect(
        Object.entries(warm).filter(([name, count]) => name !== 'producer' && count !== 1),
        'other functions',
      ).to.deep.equal([]);
    } finally {
      await runtime.close();
      state.remove();
    }
  });

  it('takes LOCAL_BASE_PORT as the first of five ports and refuses one that is not a port', () => {
    expect(runtimeSettingsFromEnv({ LOCAL_BASE_PORT: '47600' })).to.deep.equal({ basePort: 47_600 });
    expect(() => runtimeSettingsFromEnv({ LOCAL_BASE_PORT: '65534' })).to.throw(InvalidInputError, 'LOCAL_BASE_PORT must be a port from 1024 to 65531');
    expect(() => runtimeSettingsFromEnv({ LOCAL_BASE_PORT: 'high' })).to.throw(InvalidInputError, /LOCAL_BASE_PORT must be a port/);
  });
});
