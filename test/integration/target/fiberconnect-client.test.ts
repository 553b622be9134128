import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { TargetError } from '../../../src/target/errors.ts';
import { FiberConnectClient } from '../../../src/target/client/fiberconnect-client.ts';
import type { RunningStandin } from '../../../tooling/standin/server.ts';
import { admin, DEMO, startTestStandin } from '../standin/helpers.ts';

describe('FiberConnectClient against the stand-in', () => {
  let standin: RunningStandin;
  let client: FiberConnectClient;

  beforeEach(async () => {
    standin = await startTestStandin();
    client = new FiberConnectClient({ baseUrl: standin.url, token: DEMO, timeoutMs: 10_000 });
    await admin(standin, 'PUT', '/admin/faults', { latencyMs: 400 });
  });
  afterEach(async () => {
    await client.close();
    await standin.close();
  });

  it("gives up on a request past its own timeoutMs with a TargetError, well before the client's timeout", async () => {
    const started = Date.now();
    const error = await client.send({ method: 'GET', path: '/v1/workflows', timeoutMs: 100 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(TargetError);
    expect((error as TargetError).message).to.match(/^no answer from FiberConnect/);
    expect(Date.now() - started).to.be.below(400);
    // The stand-in still answers the abandoned request after its latency: let it, before the store closes.
    await sleep(500);
  });

  it("waits for a slow answer that comes within the request's timeoutMs", async () => {
    const response = await client.send({ method: 'GET', path: '/v1/workflows', timeoutMs: 5_000 });
    expect(response.status).to.equal(200);
  });
});
