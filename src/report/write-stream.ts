import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/** Writes a chunk, waiting when the stream's buffer is full: memory stays flat however many records pass. */
export async function put(stream: Writable, chunk: string | Buffer | Record<string, unknown>): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Ends a file stream and waits until the file is closed (at once when it is already). */
export async function close(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  stream.end();
  await once(stream, 'close');
}
