import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { LambdaEndpoint } from '../../../tooling/local/lambda-endpoint.ts';
import { FunctionNotFoundError } from '../../../tooling/local/errors.ts';
import { FAKE_CREDENTIALS, INIT_TIMEOUT_MS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { fixtureBundle, maxOverlap } from './helpers.ts';

interface EchoPayload {
  event: unknown;
  instanceId: string;
  invocations: number;
  env: Record<string, string | undefined>;
  context: { functionName: string; awsRequestId: string; invokedFunctionArn: string; memoryLimitInMB: string; remainingMs: number };
}

describe('LambdaEndpoint', () => {
  let endpoint: LambdaEndpoint;
  let lambda: LambdaClient;

  before(async () => {
    process.env.HOST_ONLY = 'host';
    endpoint = new LambdaEndpoint({
      port: 0,
      functions: {
        echo: { bundlePath: fixtureBundle('echo'), timeoutSeconds: 5, memorySizeMb: 256, environment: { FOO: 'bar' } },
        thrower: { bundlePath: fixtureBundle('thrower') },
        sleeper: { bundlePath: fixtureBundle('sleeper'), timeoutSeconds: 1, concurrency: 2 },
        brief: { bundlePath: fixtureBundle('sleeper'), timeoutSeconds: 5, concurrency: 2, idleSeconds: 0.5 },
        missing: { bundlePath: fixtureBundle('does-not-exist') },
        stray: { bundlePath: fixtureBundle('stray') },
        prewarmed: { bundlePath: fixtureBundle('init-stamp'), environment: { INIT_MS: '300' } },
        onDemand: { bundlePath: fixtureBundle('init-stamp') },
        several: { bundlePath: fixtureBundle('sleeper'), timeoutSeconds: 5, concurrency: 4 },
        pair: { bundlePath: fixtureBundle('sleeper'), timeoutSeconds: 60, concurrency: 2 },
        // Inits longer than Lambda's 10 s init phase: one within its function's timeout after that, one past it.
        slowInit: { bundlePath: fixtureBundle('slow-init'), timeoutSeconds: 5, environment: { INIT_MS: String(INIT_TIMEOUT_MS + 1_000) } },
        slowInitTimedOut: { bundlePath: fixtureBundle('slow-init'), timeoutSeconds: 1, environment: { INIT_MS: String(INIT_TIMEOUT_MS + 3_000) } },
      },
    });
    await endpoint.start();
    lambda = new LambdaClient({ endpoint: endpoint.url, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
  });

  after(async () => {
    delete process.env.HOST_ONLY;
    await endpoint.close();
  });

  async function invokeSdk(functionName: string, event: unknown): Promise<{ functionError?: string; payload: unknown }> {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
    return { functionError: answer.FunctionError, payload: JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')) };
  }

  it('runs the bundle for a function addressed by its full ARN through the SDK, with its own environment and a Lambda context', async () => {
    const { functionError, payload } = await invokeSdk('arn:aws:lambda:eu-west-1:000000000000:function:echo', { hello: 'world' });
    const echo = payload as EchoPayload;
    expect(functionError).to.equal(undefined);
    expect(echo.event).to.deep.equal({ hello: 'world' });
    // HOST_ONLY is set in this process only: a worker sees the function's environment, not a copy of the host's.
    expect(echo.env).to.deep.equal({ FOO: 'bar', AWS_LAMBDA_FUNCTION_NAME: 'echo' });
    expect(echo.context.functionName).to.equal('echo');
    expect(echo.context.invokedFunctionArn).to.equal('arn:aws:lambda:eu-west-1:000000000000:function:echo');
    expect(echo.context.memoryLimitInMB).to.equal('256');
    expect(echo.context.awsRequestId).to.match(/^[0-9a-f-]{36}$/);
    expect(echo.context.remainingMs).to.be.within(4_000, 5_000);
  });

  it('reuses a warm instance: the module scope survives between invocations', async () => {
    const first = (await endpoint.invoke('echo', {})).payload as EchoPayload;
    const second = (await endpoint.invoke('echo', {})).payload as EchoPayload;
    expect(second.instanceId).to.equal(first.instanceId);
    expect(second.invocations).to.equal(first.invocations + 1);
  });

  it('prewarms an instance ahead of the first invocation, which then finds its init done (provisioned concurrency)', async () => {
    await endpoint.prewarm(['prewarmed']);
    const invoked = Date.now();
    const prewarmed = (await endpoint.invoke('prewarmed', {})).payload as { initEnd: number; initializationType: string };
    expect(prewarmed.initEnd).to.be.at.most(invoked);
    expect(prewarmed.initializationType).to.equal('provisioned-concurrency');
    const onDemand = (await endpoint.invoke('onDemand', {})).payload as { initializationType: string };
    expect(onDemand.initializationType).to.equal('on-demand');
  });

  it('prewarms as many instances of a function as it is named, for a first step that runs them side by side, and those invocations start none cold', async () => {
    await endpoint.prewarm(['several', 'several', 'several']);
    expect((await endpoint.memory()).several?.instances).to.equal(3);
    const runs = await Promise.all([0, 1, 2].map(() => endpoint.invoke('several', { ms: 200 })));
    expect(new Set(runs.map((run) => (run.payload as { instanceId: string }).instanceId)).size).to.equal(3);
    expect((await endpoint.memory()).several?.instances).to.equal(3);
  });

  it('starts no instance for a prewarm still queued when it closes, so a command that stops at once lets its process exit', async () => {
    // In a process of its own: a worker started after close would keep it alive, which only its exit shows.
    const script = [
      `import { LambdaEndpoint } from ${JSON.stringify(new URL('../../../tooling/local/lambda-endpoint.ts', import.meta.url).pathname)};`,
      `const endpoint = new LambdaEndpoint({ port: 0, functions: { a: { bundlePath: ${JSON.stringify(fixtureBundle('init-stamp'))} }, b: { bundlePath: ${JSON.stringify(fixtureBundle('init-stamp'))} }, c: { bundlePath: ${JSON.stringify(fixtureBundle('init-stamp'))} } } });`,
      'await endpoint.start();',
      "const prewarm = endpoint.prewarm(['a', 'b', 'c']);",
      'await endpoint.close();',
      'await prewarm;',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = await Promise.race([new Promise<number | null>((resolve) => child.once('exit', resolve)), sleep(15_000).then(() => 'still running')]);
    if (exited === 'still running') child.kill('SIGKILL');
    expect(exited).to.equal(0);
  });

  it('answers a handler error with FunctionError Unhandled and the error document, errorType being the error name', async () => {
    const { functionError, payload } = await invokeSdk('thrower', { id: 7 });
    expect(functionError).to.equal('Unhandled');
    expect(payload).to.include({ errorType: 'MappingFailed', errorMessage: 'cannot map {"id":7}' });
    expect((payload as { trace: string[] }).trace[0]).to.contain('MappingFailed');
  });

  it('lets an init longer than the 10 s init phase go on under the function timeout, as Lambda does, and times it out past that as Sandbox.Timedout', async function () {
    this.timeout(INIT_TIMEOUT_MS + 60_000);
    const [slow, tooSlow] = await Promise.all([invokeSdk('slowInit', {}), invokeSdk('slowInitTimedOut', {})]);
    expect(slow.functionError, JSON.stringify(slow.payload)).to.equal(undefined);
    expect((slow.payload as { initMs: number }).initMs).to.be.greaterThan(INIT_TIMEOUT_MS);
    expect(tooSlow.functionError).to.equal('Unhandled');
    expect(tooSlow.payload).to.include({ errorType: 'Sandbox.Timedout' });
  });

  it('times a slow invocation out with Sandbox.Timedout and serves the next one from a fresh instance', async () => {
    const warm = (await endpoint.invoke('sleeper', { ms: 0 })).payload as { instanceId: string };
    const timedOut = await endpoint.invoke('sleeper', { ms: 3_000 });
    expect(timedOut.functionError).to.equal('Unhandled');
    expect(timedOut.payload).to.include({ errorType: 'Sandbox.Timedout' });
    expect((timedOut.payload as { errorMessage: string }).errorMessage).to.contain('Task timed out after 1.00 seconds');
    const after = (await endpoint.invoke('sleeper', { ms: 0 })).payload as { instanceId: string };
    expect(after.instanceId).to.not.equal(warm.instanceId);
  });

  it('reclaims the instances idle for idleSeconds (their threads end) but the last, never one that is busy for longer, and starts new ones when invocations need them again', async () => {
    const overlapping = () => Promise.all([0, 1].map(() => endpoint.invoke('brief', { ms: 1_200 })));
    const first = (await overlapping()).map((result) => (result.payload as { instanceId: string }).instanceId);
    expect(new Set(first).size, 'two at once').to.equal(2);
    expect((await endpoint.memory()).brief?.instances, 'kept while they ran past idleSeconds, and just idle').to.equal(2);
    await sleep(1_000);
    expect((await endpoint.memory()).brief?.instances, 'reclaimed but the last').to.equal(1);
    const again = (await overlapping()).map((result) => (result.payload as { instanceId: string }).instanceId);
    expect(
      again.filter((id) => first.includes(id)),
      'the warm one, and a new one',
    ).to.have.length(1);
  });

  it('never runs more invocations of a function at once than its concurrency; the rest wait their turn', async () => {
    // Both instances warm first: one still in its init on a loaded machine would leave the other to run all six alone.
    await endpoint.prewarm(['pair', 'pair']);
    const results = await Promise.all(Array.from({ length: 6 }, () => endpoint.invoke('pair', { ms: 300 })));
    const runs = results.map((result) => result.payload as { instanceId: string; start: number; end: number });
    expect(results.every((result) => result.functionError === undefined)).to.equal(true);
    expect(maxOverlap(runs)).to.equal(2);
    expect(new Set(runs.map((run) => run.instanceId)).size).to.be.at.most(2);
  });

  it('replaces an instance that an exception nobody awaited killed after it answered', async () => {
    const crashed = (await endpoint.invoke('stray', { crash: true })).payload as { instanceId: string };
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await endpoint.invoke('stray', {});
    expect(next.functionError).to.equal(undefined);
    expect((next.payload as { instanceId: string }).instanceId).to.not.equal(crashed.instanceId);
  });

  it('answers an unknown function with ResourceNotFoundException over HTTP and FunctionNotFoundError in-process', async () => {
    const error = await invokeSdk('nobody', {}).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ResourceNotFoundException);
    const inProcess = await endpoint.invoke('nobody', {}).catch((caught: unknown) => caught);
    expect(inProcess).to.be.instanceOf(FunctionNotFoundError);
  });

  it('answers a bundle that cannot be imported with Runtime.ImportModuleError', async () => {
    const { functionError, payload } = await invokeSdk('missing', {});
    expect(functionError).to.equal('Unhandled');
    expect(payload).to.include({ errorType: 'Runtime.ImportModuleError' });
  });
});
