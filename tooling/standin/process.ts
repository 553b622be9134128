import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** A stand-in running in a process of its own (benchmarks: its clock and event loop are not the client's). */
export interface StandinProcess {
  url: string;
  /** The process id (memory sampling of `make bench-scale`). */
  pid: number;
  stop(): Promise<void>;
}

const ENTRY = resolve(import.meta.dirname, '../../scripts/target-api.ts');

/** Starts `scripts/target-api.ts` with the given FIBERCONNECT_* settings and waits for its URL. */
export async function startStandinProcess(env: Record<string, string>): Promise<StandinProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', ENTRY], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code} before it listened`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
