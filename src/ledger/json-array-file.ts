import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/** Writes a chunk, waiting when the stream's buffer is full: memory stays flat however many records pass. */
export async function put(stream: Writable, chunk: string | Buffer | Record<string, unknown>): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Ends a file stream and waits until the file is closed. */
export async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

/**
 * The items of one JSON array, written to a file as they come (the inside of
 * the brackets, one item per line) and later copied into the document that
 * holds the array: a report lists every record without holding them.
 */
export class JsonArrayFile {
  readonly #out: WriteStream;
  /** Items written so far. */
  public count = 0;

  public constructor(public readonly path: string) {
    this.#out = createWriteStream(path);
  }

  /** Appends one item. */
  public async add(item: unknown): Promise<void> {
    await put(this.#out, `${this.count === 0 ? '' : ',\n'}${JSON.stringify(item)}`);
    this.count += 1;
  }

  /** Closes the file; call before {@link copyInto}. */
  public async close(): Promise<void> {
    await close(this.#out);
  }

  /** Copies the items into `out` (between the brackets the caller writes). */
  public async copyInto(out: Writable): Promise<void> {
    for await (const chunk of createReadStream(this.path)) await put(out, chunk as Buffer);
  }
}
