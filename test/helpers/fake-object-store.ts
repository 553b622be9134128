/** An in-memory bucket for document claim checks and reports. */
import { readFile } from 'node:fs/promises';
import type { ClaimStore } from '../../src/pipeline/types.ts';

export class FakeObjectStore implements ClaimStore {
  public readonly objects = new Map<string, { body: Buffer; contentType: string }>();

  public async put(key: string, body: string | Uint8Array, contentType = 'application/json'): Promise<string> {
    this.objects.set(key, { body: Buffer.from(body), contentType });
    return key;
  }

  /** Stores a file's bytes, as the S3 store streams them. */
  public async putFile(key: string, path: string, contentType: string): Promise<string> {
    this.objects.set(key, { body: await readFile(path), contentType });
    return key;
  }

  public async get(key: string): Promise<Buffer> {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object ${key}`);
    return object.body;
  }
}
