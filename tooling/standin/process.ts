import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';

/** A stand-in running in a process of its own (benchmarks: its clock and event loop are not the client's). */
export interface StandinProcess {
  url: string;
  /** The process id (memory sampling of `make bench-scale`). */
  pid: number;
  stop(): Promise<void>;
}

const ENTRY = resolve(import.meta.dirname, '../../scripts/target-api.ts');

/**
 * The stand-in's scheduling priority, above the engine's (0). It is the
 * tests' and benchmarks' measuring instrument: it stamps each request's
 * arrival. At normal priority, with e2e files on every core, it was
 * descheduled for tens of ms and stamped the requests that had queued
 * meanwhile as one burst (a busiest second of 41 at a rate of 40). The
 * highest priority there is: six test processes at once on two cores still
 * took -10's stamps a request or two over the rate (21 to 23 at 20/s).
 */
const STANDIN_PRIORITY = -20;

/** Starts `scripts/target-api.ts` with the given FIBERCONNECT_* settings and waits for its URL. */
export async function startStandinProcess(env: Record<string, string>): Promise<StandinProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', ENTRY], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    setPriority(child.pid!, STANDIN_PRIORITY);
  } catch {
    // Raising a priority needs root (CAP_SYS_NICE); elsewhere the stand-in runs at the default, and its stamps are as late as the machine is busy.
  }
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
