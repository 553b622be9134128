import { createHash } from 'node:crypto';
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ObjectStore, UPLOAD_PART_BYTES } from '../../../src/pipeline/object-store.ts';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { freePort, tempDir } from '../local/helpers.ts';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe("ObjectStore on the local runtime's S3 (fauxqs, which refuses a request body over 11 MiB)", () => {
  let emulators: LocalEmulators;
  let store: ObjectStore;
  let folder: string;

  before(async () => {
    folder = tempDir('object-store');
    emulators = await LocalEmulators.start({ dataDir: join(folder, 'state'), dynalitePort: await freePort(), fauxqsPort: await freePort() });
    const s3 = new S3Client({ endpoint: emulators.endpoints.s3, region: LOCAL_REGION, credentials: FAKE_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
    store = new ObjectStore(s3, 'reports');
  });

  after(async () => {
    await emulators.close();
  });

  it('stores a report.json of more than three parts (over 11 MiB) in parts and streams it back to a file byte for byte', async () => {
    const path = join(folder, 'report.json');
    // No two lines alike: a part that went missing or twice would change the hash.
    const lines = Array.from(
      { length: 400_000 },
      (_, i) => `{"externalRef":"fp_big_${i % 12}:addresses:${i}","code":"orphan","message":"address ${i} has no project"},\n`,
    );
    writeFileSync(path, lines.join(''));
    expect(statSync(path).size).to.be.above(3 * UPLOAD_PART_BYTES);

    await store.putFile('reports/big/report.json', path, 'application/json');
    const back = join(folder, 'back.json');
    await store.getToFile('reports/big/report.json', back);
    expect(statSync(back).size).to.equal(statSync(path).size);
    expect(await sha256Of(back)).to.equal(await sha256Of(path));
  });

  it('stores a small file in one PUT and streams it back', async () => {
    const path = join(folder, 'small.html');
    writeFileSync(path, '<!doctype html><p>report</p>');
    await store.putFile('reports/small/report.html', path, 'text/html; charset=utf-8');
    expect((await store.get('reports/small/report.html')).toString()).to.equal('<!doctype html><p>report</p>');
  });
});
