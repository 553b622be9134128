import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../../src/domain/index.ts';
import { DRY_RUN_PREFIX, parseEntryPartition, runKey } from '../../src/ledger/index.ts';
import { DEFAULT_BASE_PORT, DEFAULT_DATA_DIR, FAKE_CREDENTIALS, LOCAL_REGION } from '../local/constants.ts';
import { LocalEmulators } from '../local/emulators.ts';
import { LOCAL_PREFIX } from '../local/runtime.ts';

/** What `make clean-old` removed. */
export interface CleanedOld {
  /** Run folders under the local reports folder. */
  reportFolders: number;
  /** Objects of the local bucket: reports, failed payloads, document claim checks. */
  objects: number;
  /** Ledger entries of dry runs that started before the cutoff. */
  dryRunEntries: number;
}

/** Where the local data lives; tests move it, and the clock. */
export interface CleanOldSettings {
  /** The per-target runtime states (default `.local/runtime`). */
  runtimeRoot?: string;
  /** The local copies of the reports (default `reports`). */
  reportsDir?: string;
  basePort?: number;
  now?: number;
}

/** What the engine keeps in the local bucket that expires: reports, failed payloads, dead-letter copies, document claim checks (the stage's lifecycle rules). */
const EXPIRING_PREFIXES = ['reports/', 'payloads/', 'dead-letters/', 'documents/'] as const;

/** `DAYS` as `make clean-old` takes it: a whole number of days, 0 or more; anything else is one line, exit 2. */
export function parseDays(value: string | undefined): number {
  const days = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(days) || days < 0 || days > 3650) {
    throw new InvalidInputError(
      `DAYS must be a whole number of days from 0 to 3650, e.g. make clean-old DAYS=90 (got ${value === undefined ? 'nothing' : `"${value}"`})`,
      { input: 'DAYS', issue: String(value) },
    );
  }
  return days;
}

/**
 * `make clean-old DAYS=n`: what a stage expires by itself (S3 lifecycle,
 * DynamoDB TTL; terraform's `retention_days`), done by hand for the embedded
 * runtime, whose emulators expire nothing: run folders under `reports/`,
 * the local bucket's reports, failed payloads and document claim checks, and
 * the ledger entries of dry runs, each older than `days` days, for every
 * target's local state. Refused (exit 2) while a local command holds a
 * target's state. The ledger's real entries, runs and restore debt are kept.
 */
export async function cleanOld(days: number, settings: CleanOldSettings = {}, say: (line: string) => void = () => undefined): Promise<CleanedOld> {
  const cutoff = (settings.now ?? Date.now()) - days * 86_400_000;
  const cleaned: CleanedOld = { reportFolders: removeOldFolders(settings.reportsDir ?? 'reports', cutoff), objects: 0, dryRunEntries: 0 };
  const root = settings.runtimeRoot ?? DEFAULT_DATA_DIR;
  const targets = existsSync(root) ? readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()) : [];
  for (const target of targets) {
    const emulators = await LocalEmulators.start({
      dataDir: join(root, target),
      fauxqsPort: settings.basePort ?? DEFAULT_BASE_PORT,
      dynalitePort: (settings.basePort ?? DEFAULT_BASE_PORT) + 1,
    });
    try {
      const config = { region: LOCAL_REGION, credentials: FAKE_CREDENTIALS };
      cleaned.objects += await removeOldObjects(new S3Client({ ...config, endpoint: emulators.endpoints.s3, forcePathStyle: true }), cutoff);
      cleaned.dryRunEntries += await removeOldDryRuns(
        DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: emulators.endpoints.dynamodb })),
        cutoff,
      );
    } finally {
      await emulators.close();
    }
  }
  say(
    `removed what is older than ${days} day(s): ${cleaned.reportFolders} local report folder(s), ${cleaned.objects} object(s) of the local bucket (reports, failed payloads, document claim checks), ${cleaned.dryRunEntries} ledger entr(ies) of dry runs, over ${targets.length} local target(s)`,
  );
  return cleaned;
}

/** Removes `reports/<customer>/<runId>/` folders last written before the cutoff. */
function removeOldFolders(reportsDir: string, cutoff: number): number {
  if (!existsSync(reportsDir)) return 0;
  let removed = 0;
  for (const customer of readdirSync(reportsDir)) {
    const folder = join(reportsDir, customer);
    if (!statSync(folder).isDirectory()) continue;
    for (const run of readdirSync(folder)) {
      const path = join(folder, run);
      if (statSync(path).mtimeMs >= cutoff) continue;
      rmSync(path, { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Deletes the local bucket's expiring objects last modified before the cutoff. */
async function removeOldObjects(s3: S3Client, cutoff: number): Promise<number> {
  const bucket = `${LOCAL_PREFIX}-data`;
  let removed = 0;
  for (const prefix of EXPIRING_PREFIXES) {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (error) {
        if ((error as Error).name === 'NoSuchBucket') return removed;
        throw error;
      }
      const old = (page.Contents ?? []).filter((object) => (object.LastModified?.getTime() ?? 0) < cutoff).map((object) => ({ Key: object.Key! }));
      if (old.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: old } }));
      removed += old.length;
      token = page.NextContinuationToken;
    } while (token);
  }
  return removed;
}

/** Deletes the ledger entries (and address claims) of dry runs that started before the cutoff: `pk = dry#<runId>#<customer>#...`. */
async function removeOldDryRuns(db: DynamoDBDocumentClient, cutoff: number): Promise<number> {
  const table = `${LOCAL_PREFIX}-ledger`;
  const started = new Map<string, number>();
  let removed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    let page;
    try {
      page = await db.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'begins_with(pk, :dry)',
          ExpressionAttributeValues: { ':dry': DRY_RUN_PREFIX },
          ProjectionExpression: 'pk, externalRef',
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return removed;
      throw error;
    }
    const old: Record<string, unknown>[] = [];
    for (const item of page.Items ?? []) {
      const { customer, dryRunId: runId } = parseEntryPartition(String(item.pk)) ?? {};
      if (customer === undefined || runId === undefined) continue;
      const key = `${customer}#${runId}`;
      if (!started.has(key)) started.set(key, await runStart(db, customer, runId));
      if (started.get(key)! < cutoff) old.push({ pk: item.pk, externalRef: item.externalRef });
    }
    for (let index = 0; index < old.length; index += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { [table]: old.slice(index, index + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
    }
    removed += old.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return removed;
}

/** When a run started (ms), from the run table; a run without a record is older than any cutoff. */
async function runStart(db: DynamoDBDocumentClient, customer: string, runId: string): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: `${LOCAL_PREFIX}-runs`, Key: runKey(customer, runId) }));
  return typeof Item?.startedAt === 'string' ? Date.parse(Item.startedAt) : 0;
}
