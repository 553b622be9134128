import { expect } from 'chai';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createLegacyPool, parseLegacyDbUrl } from '../../../src/source/mysql/connection.ts';
import { connectionLossCode } from '../../../src/source/errors.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';

const config = parseLegacyDbUrl(process.env.LEGACY_DB_URL || undefined);

describe('legacy database pool after lost connections (MariaDB behind a TCP proxy)', function () {
  this.timeout(30_000);
  let proxy: TcpProxy;
  let pool: Pool;

  beforeEach(async () => {
    proxy = await new TcpProxy({ host: config.host, port: config.port }).start();
    pool = createLegacyPool({ ...config, host: '127.0.0.1', port: proxy.port }, { connectionLimit: 2 });
  });
  afterEach(async () => {
    await pool.end().catch(() => undefined);
    await proxy.close();
  });

  const readOne = async (): Promise<number> => Number((await pool.query<(RowDataPacket & { one: number })[]>('SELECT 1 AS one'))[0][0]!.one);

  it('answers a read on a pooled connection that was cut while idle, on a fresh connection', async () => {
    expect(await readOne()).to.equal(1);
    expect(proxy.openConnections).to.equal(1);
    proxy.cut();
    expect(await readOne()).to.equal(1);
  });

  it('does not send a write again when its connection was cut', async () => {
    expect(await readOne()).to.equal(1);
    proxy.cut();
    const error = await pool.query('DO 1').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(connectionLossCode(error), String(error)).to.be.a('string');
  });

  it('fails a read with a connection-loss code while the database is unreachable, and reads again once it is back', async () => {
    expect(await readOne()).to.equal(1);
    await proxy.drop();
    const error = await readOne().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(connectionLossCode(error), String(error)).to.equal('ECONNREFUSED');
    await proxy.restore();
    expect(await readOne()).to.equal(1);
  });
});
