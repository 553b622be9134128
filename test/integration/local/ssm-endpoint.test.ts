import { expect } from 'chai';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, GetParametersCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { SsmEndpoint } from '../../../tooling/local/ssm-endpoint.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';

const PREFIX = '/fiberplan-migration/test';

describe('SsmEndpoint', () => {
  let endpoint: SsmEndpoint;
  let ssm: SSMClient;
  const variables = ['AWS_ENDPOINT_URL_SSM', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'PARAMETER_PREFIX'] as const;
  const savedEnv = Object.fromEntries(variables.map((name) => [name, process.env[name]]));

  before(async () => {
    endpoint = new SsmEndpoint({
      port: 0,
      parameters: {
        [`${PREFIX}/customers/acme/profile`]: { value: JSON.stringify({ customer: 'acme', rate: 5 }), type: 'String' },
        [`${PREFIX}/customers/default/profile`]: { value: JSON.stringify({ customer: 'default', rate: 1 }), type: 'String' },
        [`${PREFIX}/customers/acme/fiberconnect-token`]: { value: 'token-acme', type: 'SecureString' },
        [`${PREFIX}/fiberconnect-url`]: { value: 'http://127.0.0.1:9999', type: 'String' },
        [`${PREFIX}/legacy-db-url`]: { value: 'mysql://root:secret@127.0.0.1:3306', type: 'SecureString' },
      },
    });
    // Enough entries under one path to need several pages of 10.
    for (let index = 0; index < 23; index += 1) endpoint.put(`/paging/${index < 12 ? 'a' : 'b/deep'}/p${String(index).padStart(2, '0')}`, `v${index}`);
    await endpoint.start();
    ssm = new SSMClient({ endpoint: endpoint.url, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SSM: endpoint.url,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      PARAMETER_PREFIX: `${PREFIX}/`,
    });
  });

  after(async () => {
    for (const name of variables) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await endpoint.close();
  });

  it('serves Powertools SSMProvider through AWS_ENDPOINT_URL_SSM: strings, decrypted SecureStrings and a recursive path over several pages', async () => {
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
    expect(await provider.get(`${PREFIX}/fiberconnect-url`)).to.equal('http://127.0.0.1:9999');
    expect(await provider.get(`${PREFIX}/customers/acme/fiberconnect-token`, { decrypt: true })).to.equal('token-acme');
    const all = await provider.getMultiple('/paging', { recursive: true });
    expect(Object.keys(all ?? {})).to.have.length(23);
    const direct = await provider.getMultiple('/paging/a');
    expect(Object.keys(direct ?? {})).to.have.length(12);
  });

  it('keeps SecureString values opaque unless read WithDecryption', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `${PREFIX}/legacy-db-url` }));
    expect(Parameter?.Type).to.equal('SecureString');
    expect(Parameter?.Value).to.not.contain('secret');
    const decrypted = await ssm.send(new GetParameterCommand({ Name: `${PREFIX}/legacy-db-url`, WithDecryption: true }));
    expect(decrypted.Parameter?.Value).to.equal('mysql://root:secret@127.0.0.1:3306');
  });

  it('raises ParameterNotFound in the SDK for an unknown name, and lists unknown names of GetParameters as invalid', async () => {
    const error = await ssm.send(new GetParameterCommand({ Name: '/nope' })).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ParameterNotFound);
    const answer = await ssm.send(new GetParametersCommand({ Names: [`${PREFIX}/fiberconnect-url`, '/nope'] }));
    expect(answer.Parameters?.map((parameter) => parameter.Name)).to.deep.equal([`${PREFIX}/fiberconnect-url`]);
    expect(answer.InvalidParameters).to.deep.equal(['/nope']);
  });

  it('serves what src/profile/parameter-store/parameters.ts reads under PARAMETER_PREFIX, ParameterNotFound included (default profile fallback)', async () => {
    // Imported only now: the module creates its SSM client from the environment set above.
    const parameters = await import('../../../src/profile/parameter-store/parameters.ts');
    expect(await parameters.getCustomerProfile('acme')).to.deep.equal({ customer: 'acme', rate: 5 });
    expect(await parameters.getCustomerProfile('globex')).to.deep.equal({ customer: 'globex', rate: 1 });
    expect(await parameters.getTargetAccess('acme')).to.deep.equal({ baseUrl: 'http://127.0.0.1:9999', token: 'token-acme' });
    expect(await parameters.getLegacyDbUrl()).to.equal('mysql://root:secret@127.0.0.1:3306');
  });
});
