/**
 * dynalite (DynamoDB) as the local runtime serves it: LevelDB under one
 * directory, tables ACTIVE at once, iterators closed (level-iterators.ts).
 * Runs inside the dynalite worker thread (dynalite-worker.ts), so this file
 * and what it imports use erasable TypeScript only: Node loads them itself.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import dynalite from 'dynalite';
import { closeLevelIteratorsOnReturn } from './level-iterators.ts';

/** What {@link serveDynalite} needs. */
export interface DynaliteServeOptions {
  /** The LevelDB directory; in memory when absent (tests). */
  path?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Called when a request has been answered (or its connection dropped), with its operation (`UpdateItem`) and its span in epoch ms. */
  onRequest?: (operation: string, start: number, end: number) => void;
}

/** Starts dynalite and resolves once it listens; a failed listen closes its store again and rejects. */
export async function serveDynalite(options: DynaliteServeOptions): Promise<Server> {
  closeLevelIteratorsOnReturn();
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const onRequest = options.onRequest;
  if (onRequest) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const start = Date.now();
      const operation = String(request.headers['x-amz-target'] ?? 'unknown').split('.').at(-1)!;
      response.on('close', () => onRequest(operation, start, Date.now()));
    });
  }
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      done();
    });
  }).catch(async (error: unknown) => {
    await closeDynalite(server).catch(() => undefined);
    throw error;
  });
  return server;
}

/** Stops accepting requests and closes the LevelDB store (dynalite's close does both). */
export async function closeDynalite(server: Server): Promise<void> {
  await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
}
