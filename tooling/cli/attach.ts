import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceEndpoints } from '../local/types.ts';
import { attachedBackend, type Backend, type StackDescription } from './backend.ts';

/**
 * Beside the runtime's lock file: where a running embedded runtime answers.
 * A local runtime lives in the process of the command that started it and
 * holds its data directory alone, so `make stop`, `make follow` and a second
 * `make migrate` of the same target reach the run through these endpoints
 * (all on 127.0.0.1) instead of starting a runtime of their own.
 */
const ATTACH_FILE = 'runtime.json';

interface AttachFile {
  pid: number;
  endpoints: ServiceEndpoints;
  stack: StackDescription;
}

/** Says where this process's runtime on `dataDir` answers; the returned function takes it back (call when the runtime closes). */
export function announceRuntime(dataDir: string, backend: Backend, endpoints: ServiceEndpoints): () => void {
  const file = join(dataDir, ATTACH_FILE);
  const content: AttachFile = { pid: process.pid, endpoints, stack: backend.stack };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

/**
 * The backend of the runtime another command runs on `dataDir` (or this
 * process: a test), or undefined when none runs there (no file, or its
 * process is gone).
 */
export function runningRuntime(dataDir: string): { backend: Backend; pid: number } | undefined {
  const file = join(dataDir, ATTACH_FILE);
  if (!existsSync(file)) return undefined;
  let content: AttachFile;
  try {
    content = JSON.parse(readFileSync(file, 'utf8')) as AttachFile;
  } catch {
    return undefined;
  }
  if (!processAlive(content.pid)) return undefined;
  return { backend: attachedBackend(content.stack, content.endpoints), pid: content.pid };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
