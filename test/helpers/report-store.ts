import { readFile } from 'node:fs/promises';
import type { ReportStore } from '../../src/report/types.ts';

/** A report store that keeps each stored file's text in memory, for tests. */
export class MemoryReportStore implements ReportStore {
  public readonly objects = new Map<string, { body: string; contentType: string }>();

  public async putFile(key: string, path: string, contentType: string): Promise<string> {
    this.objects.set(key, { body: await readFile(path, 'utf8'), contentType });
    return key;
  }

  /** The text stored under a key; throws when there is none. */
  public text(key: string): string {
    const object = this.objects.get(key);
    if (!object) throw new Error(`nothing stored under ${key}; keys: ${[...this.objects.keys()].join(', ')}`);
    return object.body;
  }
}
