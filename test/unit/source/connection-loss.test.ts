import { expect } from 'chai';
import { connectionLossCode } from '../../../src/source/errors.ts';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('connection-loss codes of legacy database errors', () => {
  for (const code of ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ER_SERVER_SHUTDOWN']) {
    it(`counts ${code} as a lost connection`, () => {
      expect(connectionLossCode(withCode(code))).to.equal(code);
    });
  }

  it('counts mysql2\'s code-less "Can\'t add new command when connection is in closed state" as a lost connection', () => {
    expect(connectionLossCode(new Error("Can't add new command when connection is in closed state"))).to.equal('PROTOCOL_CONNECTION_LOST');
  });

  it('finds the code in a cause chain and inside an AggregateError', () => {
    expect(connectionLossCode(new Error('page read failed', { cause: withCode('ECONNRESET') }))).to.equal('ECONNRESET');
    expect(connectionLossCode(new AggregateError([new Error('x'), withCode('ECONNREFUSED')], 'connect failed'))).to.equal('ECONNREFUSED');
  });

  it('does not count a query error or a refused login as a lost connection', () => {
    expect(connectionLossCode(withCode('ER_PARSE_ERROR'))).to.equal(undefined);
    expect(connectionLossCode(withCode('ER_ACCESS_DENIED_ERROR'))).to.equal(undefined);
    expect(connectionLossCode('ECONNRESET')).to.equal(undefined);
  });
});
