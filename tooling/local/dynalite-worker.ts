/**
 * The dynalite worker thread: dynalite's request handling and LevelDB calls
 * on a thread of their own, beside the main thread's fauxqs, Step Functions
 * and endpoints (see dynalite-thread.ts for why).
 *
 * Loaded by Node itself (type stripping, no tsx), so this file and what it
 * imports use erasable TypeScript only.
 */
import type { Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { closeDynalite, serveDynalite } from './dynalite-server.ts';
import type { DynaliteThreadData, DynaliteThreadMessage, DynaliteThreadRequest, DynaliteSpan } from './types.ts';

const SPAN_FLUSH_MS = 200;

const port = parentPort;
if (!port) throw new Error('dynalite-worker.ts runs only as a worker thread');
const { path, host, port: listenPort, timeline } = workerData as DynaliteThreadData;

function post(message: DynaliteThreadMessage): void {
  port?.postMessage(message);
}

// Spans go to the main thread's timeline in batches: one message per request would cost the main thread what this thread saves it.
let spans: DynaliteSpan[] = [];
function flushSpans(): void {
  if (spans.length === 0) return;
  post({ kind: 'spans', spans });
  spans = [];
}

let server: Server | undefined;
let flushTimer: NodeJS.Timeout | undefined;

async function start(): Promise<void> {
  try {
    server = await serveDynalite({ path, host, port: listenPort, ...(timeline ? { onRequest: (operation: string, start: number, end: number) => spans.push([operation, start, end]) } : {}) });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    post({ kind: 'failed', message: failure.message, code: failure.code ?? '' });
    return;
  }
  if (timeline) flushTimer = setInterval(flushSpans, SPAN_FLUSH_MS);
  post({ kind: 'listening' });
}

port.on('message', (request: DynaliteThreadRequest) => {
  if (request.kind !== 'close') return;
  clearInterval(flushTimer);
  const closing = server ? closeDynalite(server) : Promise.resolve();
  closing.then(
    () => {
      flushSpans();
      post({ kind: 'closed' });
      port.close();
    },
    (error: unknown) => {
      post({ kind: 'failed', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? '' });
      port.close();
    },
  );
});

void start();
