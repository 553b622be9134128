import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '../../../src/ledger/tables.ts';
import { cleanOld, parseDays } from '../../../tooling/cli/clean-old.ts';
import { FAKE_CREDENTIALS, LOCAL_REGION } from '../../../tooling/local/constants.ts';
import { LocalEmulators } from '../../../tooling/local/emulators.ts';
import { LOCAL_PREFIX } from '../../../tooling/local/runtime.ts';
import { BASE_PORT } from '../../e2e/helpers.ts';
import { tempDir } from '../local/helpers.ts';

const DAY = 86_400_000;

describe("make clean-old DAYS=n on the local runtime's state (dynalite, fauxqs)", function () {
  this.timeout(60_000);
  const root = tempDir('clean-old-');
  const runtimeRoot = join(root, 'runtime');
  const reportsDir = join(root, 'reports');
  // Its own block of the integration ports (test/e2e/helpers.ts): make clean-old takes dynalite at basePort + 1, which a
  // free port from the kernel's ephemeral range does not reserve (another process's connection took it once).
  const basePort = BASE_PORT + 40;

  before(async () => {
    const emulators = await LocalEmulators.start({ dataDir: join(runtimeRoot, 'standin'), fauxqsPort: basePort, dynalitePort: basePort + 1 });
    try {
      const config = { region: LOCAL_REGION, credentials: FAKE_CREDENTIALS };
      const s3 = new S3Client({ ...config, endpoint: emulators.endpoints.s3, forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: `${LOCAL_PREFIX}-data` }));
      for (const key of ['reports/acme/r1/report.json', 'payloads/acme/projects/x.json', 'documents/acme/doc-1'])
        await s3.send(new PutObjectCommand({ Bucket: `${LOCAL_PREFIX}-data`, Key: key, Body: '{}' }));
      const client = new DynamoDBClient({ ...config, endpoint: emulators.endpoints.dynamodb });
      // A table is CREATING for a moment after CreateTable (dynalite as DynamoDB): a write before it is ACTIVE is refused.
      for (const [kind, name] of [
        ['ledger', `${LOCAL_PREFIX}-ledger`],
        ['runs', `${LOCAL_PREFIX}-runs`],
      ] as const) {
        await client.send(new CreateTableCommand(createTableInput(kind, name)));
        await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: name });
      }
      const db = DynamoDBDocumentClient.from(client);
      const started = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
      await db.send(new PutCommand({ TableName: `${LOCAL_PREFIX}-runs`, Item: { pk: 'acme', sk: 'run#dry-old', startedAt: started(10) } }));
      await db.send(new PutCommand({ TableName: `${LOCAL_PREFIX}-runs`, Item: { pk: 'acme', sk: 'run#dry-new', startedAt: started(1) } }));
      for (const [pk, ref] of [
        ['dry#dry-old#acme#projects#db', 'db:projects:1'],
        ['dry#dry-old#acme#connections#db#identity', 'an-address'],
        ['dry#dry-new#acme#projects#db', 'db:projects:1'],
        ['acme#projects#db', 'db:projects:1'],
      ]) {
        await db.send(
          new PutCommand({ TableName: `${LOCAL_PREFIX}-ledger`, Item: { pk, externalRef: ref, status: 'failed', payload: { name: 'Jan Jansen' } } }),
        );
      }
      s3.destroy();
      client.destroy();
    } finally {
      await emulators.close();
    }
    for (const [run, daysAgo] of [
      ['old', 10],
      ['new', 1],
    ] as const) {
      const folder = join(reportsDir, 'acme', run);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'report.json'), '{}');
      const when = new Date(Date.now() - daysAgo * DAY);
      utimesSync(folder, when, when);
    }
  });

  it('refuses DAYS that is no whole number of days, with one line naming it', () => {
    for (const value of [undefined, '', 'ten', '-1', '1.5'])
      expect(() => parseDays(value), String(value)).to.throw(/^DAYS must be a whole number of days from 0 to 3650/);
    expect(parseDays('0')).to.equal(0);
  });

  it("removes only what is older than DAYS: report folders, the bucket's reports, payloads and claim checks, a dry run's entries; never the real ledger", async () => {
    // A week from now, the objects written above are a week old; the dry run of 10 days ago is 17 days old, the other 8.
    const later = Date.now() + 7 * DAY;
    expect(await cleanOld(30, { runtimeRoot, reportsDir, basePort, now: later })).to.deep.equal({ reportFolders: 0, objects: 0, dryRunEntries: 0 });
    expect(await cleanOld(10, { runtimeRoot, reportsDir, basePort, now: later })).to.deep.equal({ reportFolders: 1, objects: 0, dryRunEntries: 2 });
    expect(existsSync(join(reportsDir, 'acme', 'old'))).to.equal(false);
    expect(existsSync(join(reportsDir, 'acme', 'new'))).to.equal(true);
    expect(await cleanOld(5, { runtimeRoot, reportsDir, basePort, now: later })).to.deep.equal({ reportFolders: 1, objects: 3, dryRunEntries: 1 });

    const emulators = await LocalEmulators.start({ dataDir: join(runtimeRoot, 'standin'), fauxqsPort: basePort, dynalitePort: basePort + 1 });
    try {
      const config = { region: LOCAL_REGION, credentials: FAKE_CREDENTIALS };
      const s3 = new S3Client({ ...config, endpoint: emulators.endpoints.s3, forcePathStyle: true });
      expect((await s3.send(new ListObjectsV2Command({ Bucket: `${LOCAL_PREFIX}-data` }))).Contents ?? []).to.deep.equal([]);
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: emulators.endpoints.dynamodb }));
      const left = (await db.send(new ScanCommand({ TableName: `${LOCAL_PREFIX}-ledger` }))).Items ?? [];
      expect(left.map((item) => item.pk)).to.deep.equal(['acme#projects#db']);
      s3.destroy();
    } finally {
      await emulators.close();
    }
  });
});
