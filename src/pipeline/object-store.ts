import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { PayloadStore } from '../ledger/index.ts';

/**
 * Part size of a file's multipart upload: S3 takes parts from 5 MiB, and the
 * local runtime's S3 (fauxqs) refuses a request body over 11 MiB, which a
 * million-record run's report.json is twice over (21.5 MB measured at
 * SCALE=200 with 5% dirt).
 */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

/**
 * The engine's S3 bucket: document claim checks, failed payloads too big for
 * a ledger item, and reports. Objects are written without an encryption
 * header, so each follows the bucket's default encryption (SSE-S3, or SSE-KMS
 * with the stage's key: terraform/modules/storage).
 *
 * @example
 * const store = new ObjectStore(new S3Client({ forcePathStyle: true }), env.bucket);
 * const key = await store.putFile(`reports/acme/${runId}/report.json`, '/tmp/report.json', 'application/json');
 * store.uri(key); // s3://<bucket>/reports/acme/<runId>/report.json
 */
export class ObjectStore implements PayloadStore {
  public constructor(
    private readonly s3: S3Client,
    public readonly bucket: string,
  ) {}

  /** Stores an object and returns its key. */
  public async put(key: string, body: string | Uint8Array, contentType = 'application/json'): Promise<string> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    return key;
  }

  /**
   * Stores a file as an object, streamed from disk (a large report never sits
   * in memory whole); returns its key. Up to {@link UPLOAD_PART_BYTES} in one
   * PUT, above it a multipart upload whose parts are each retried on their
   * own (lib-storage), where one streamed PUT could not be retried at all.
   */
  public async putFile(key: string, path: string, contentType: string): Promise<string> {
    const { size } = await stat(path);
    const params = { Bucket: this.bucket, Key: key, ContentType: contentType };
    if (size <= UPLOAD_PART_BYTES) {
      await this.s3.send(new PutObjectCommand({ ...params, Body: await readFile(path), ContentLength: size }));
      return key;
    }
    // Two parts in flight: 16 MiB of buffers at most, whatever the file's size.
    await new Upload({ client: this.s3, params: { ...params, Body: createReadStream(path) }, partSize: UPLOAD_PART_BYTES, queueSize: 2 }).done();
    return key;
  }

  /** Reads an object's bytes. */
  public async get(key: string): Promise<Buffer> {
    return Buffer.from(await (await this.body(key)).transformToByteArray());
  }

  /** Writes an object to a file, streamed (a large report never sits in memory whole). */
  public async getToFile(key: string, path: string): Promise<void> {
    // In Node the SDK's body is a Readable.
    await pipeline((await this.body(key)) as Readable, createWriteStream(path));
  }

  private async body(key: string): Promise<NonNullable<GetObjectCommandOutput['Body']>> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`s3://${this.bucket}/${key} has no body`);
    return Body;
  }

  /** `s3://bucket/key`, for reports and logs. */
  public uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}
