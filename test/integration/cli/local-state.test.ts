import { expect } from 'chai';
import { InvalidInputError } from '../../../src/domain/errors.ts';
import { startLocalRuntime } from '../../../tooling/cli/local-runtime.ts';
import { runtimeSettingsFromEnv } from '../../../tooling/cli/entry.ts';
import { BASE_PORT, temporaryFolder } from '../../e2e/helpers.ts';

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
    const error = await startLocalRuntime({ dataDir: folder.path, basePort: other, eventSources: false }).then(() => undefined, (failure: unknown) => failure);
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.equal(`the local runtime in ${folder.path} was created on base port ${first}, not ${other}: run make clean (starts over) or set LOCAL_BASE_PORT=${first}`);
    const back = await startLocalRuntime({ dataDir: folder.path, basePort: other, eventSources: false }).then((runtime) => runtime.close(), (failure: unknown) => failure);
    expect((back as Error).message, 'the refused start left nothing listening').to.match(/created on base port/);
  });

  it('takes LOCAL_BASE_PORT as the first of five ports and refuses one that is not a port', () => {
    expect(runtimeSettingsFromEnv({ LOCAL_BASE_PORT: '47600' })).to.deep.equal({ basePort: 47_600 });
    expect(() => runtimeSettingsFromEnv({ LOCAL_BASE_PORT: '65534' })).to.throw(InvalidInputError, 'LOCAL_BASE_PORT must be a port from 1024 to 65531');
    expect(() => runtimeSettingsFromEnv({ LOCAL_BASE_PORT: 'high' })).to.throw(InvalidInputError, /LOCAL_BASE_PORT must be a port/);
  });
});
