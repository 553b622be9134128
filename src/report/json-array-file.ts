import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { EmptyArray } from './types.ts';
import { close, put } from './write-stream.ts';

/**
 * The items of one JSON array, written to a file as they come (one item per
 * line) and later copied into the document that holds the array: a report
 * lists every record without holding them.
 */
export class JsonArrayFile {
  readonly #out: WriteStream;
  #closed = false;
  /** Items written so far. */
  public count = 0;

  /** `empty` is how the array is written when no item came (see {@link EmptyArray}). */
  public constructor(
    public readonly path: string,
    private readonly empty: EmptyArray = '[\n\n]',
  ) {
    this.#out = createWriteStream(path);
  }

  /** Appends one item. */
  public async add(item: unknown): Promise<void> {
    await put(this.#out, `${this.count === 0 ? '' : ',\n'}${JSON.stringify(item)}`);
    this.count += 1;
  }

  /** Closes the file (once; a second call does nothing); call before {@link writeTo}. */
  public async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await close(this.#out);
  }

  /** Writes the array into `out`: its brackets, and its items streamed from the file, each on a line of its own. */
  public async writeTo(out: Writable): Promise<void> {
    if (this.count === 0) return await put(out, this.empty);
    await put(out, '[\n');
    for await (const chunk of createReadStream(this.path)) await put(out, chunk as Buffer);
    await put(out, '\n]');
  }
}
