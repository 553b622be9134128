import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The CLI's own entry, as `npx fiberplan-migrate` runs it (package.json "bin"). */
export const BIN = resolve(import.meta.dirname, '../../bin/fiberplan-migrate');

/** How a CLI process ended, and what it printed. */
export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `fiberplan-migrate <args>` in `cwd` with a PATH whose first node is
 * NOT the project's (the entry must not care) and only `env` besides PATH
 * and HOME. `whileRunning` gets the child as soon as it started.
 */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, whileRunning?: (child: ChildProcess) => Promise<void>): Promise<CliExit> {
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.includes('node_modules'))
    .join(':');
  const child = spawn(BIN, args, { cwd, env: { PATH: path, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  void whileRunning?.(child);
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}
