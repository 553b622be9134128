import { createServer, type Server } from 'node:http';
import { expect } from 'chai';
import { TargetError } from '../../../src/target/errors.ts';
import { FiberConnectClient } from '../../../src/target/client/fiberconnect-client.ts';
import { checkTarget } from '../../../tooling/cli/migrate.ts';
import { InvalidInputError } from '../../../src/domain/errors.ts';

/** A gateway in front of FiberConnect that answers every request with `status` and an HTML page (a login page, a WAF's refusal). */
async function htmlGateway(status: number, headers: Record<string, string> = {}): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end('<!DOCTYPE html><html><body><h1>Access denied</h1></body></html>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe("answers the engine did not expect: a gateway's HTML instead of FiberConnect's JSON", () => {
  const servers: Server[] = [];
  const gateway = async (status: number, headers?: Record<string, string>) => {
    const started = await htmlGateway(status, headers);
    servers.push(started.server);
    return started.url;
  };
  after(() => servers.forEach((server) => server.close()));

  for (const status of [401, 403]) {
    it(`an HTML ${status} is an answer with its status (a refused token), not "no answer" (transient)`, async () => {
      const client = new FiberConnectClient({ baseUrl: await gateway(status), token: 'revoked', timeoutMs: 5_000 });
      try {
        const response = await client.send({ method: 'POST', path: '/v1/projects', body: { externalRef: 'x' } });
        expect(response).to.deep.include({ status, body: undefined });
        const error = await client.call({ method: 'GET', path: '/v1/workflows?status=ACTIVE' }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).to.be.instanceOf(TargetError);
        expect((error as TargetError).context.status).to.equal(status);
        expect((error as TargetError).transient).to.equal(false);
      } finally {
        await client.close();
      }
    });
  }

  it('the token check before a run says an HTML 403 refused the token, at once, in one line', async () => {
    const url = await gateway(403);
    const error = await checkTarget(url, 'acme', 'revoked').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as Error).message).to.equal(`FiberConnect at ${url} refused the token of customer acme (403)`);
  });

  it('an HTML 502 stays transient, and a negative or unparsable Retry-After is none', async () => {
    const client = new FiberConnectClient({ baseUrl: await gateway(502, { 'retry-after': '-30' }), token: 't', timeoutMs: 5_000 });
    try {
      const response = await client.send({ method: 'GET', path: '/v1/projects' });
      expect(response.status).to.equal(502);
      expect(response.retryAfterSeconds).to.equal(undefined);
    } finally {
      await client.close();
    }
  });
});
