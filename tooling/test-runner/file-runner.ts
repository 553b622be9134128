import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closestToTimeout, TIMEOUT_SHARE_FLAG } from './timeouts.ts';
import type { FileReport, TestFileResult, TestFileRunnerOptions, TestRunSummary } from './types.ts';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs test files side by side, each in a process of its own, at most
 * `jobs` at once. A file's output is held until the file ends and then
 * printed in one piece (never interleaved with another file's), between a
 * one-line start and a one-line finish with the file's time. The run passes
 * when every file's process exited 0; a failing file does not stop the others.
 */
export class TestFileRunner {
  private readonly started = performance.now();
  /** Where each file's process writes its report as it exits (TEST_REPORT_FILE). */
  private readonly reports = mkdtempSync(join(tmpdir(), 'test-files-'));

  public constructor(private readonly options: TestFileRunnerOptions) {
    if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error(`jobs must be a whole number of at least 1 (got ${options.jobs})`);
  }

  /** Runs every file and prints a summary line per file, slowest first. */
  public async run(): Promise<TestRunSummary> {
    const { files, jobs, out } = this.options;
    out.write(`${files.length} test file(s), ${Math.min(jobs, files.length)} at a time\n`);
    const results: TestFileResult[] = [];
    let next = 0;
    let running = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const file = files[next++]!;
        running += 1;
        out.write(`▶ ${file} started at ${seconds(this.elapsed())} (${running} running)\n`);
        const result = await this.runFile(file);
        running -= 1;
        results.push(result);
        const verdict = result.exitCode === 0 ? '✔ passed' : `✘ FAILED (${result.signal ?? `exit ${result.exitCode}`})`;
        out.write(`${result.output}${result.output.endsWith('\n') || !result.output ? '' : '\n'}`);
        out.write(`${verdict}: ${file} in ${seconds(result.endedMs - result.startedMs)}\n\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
    rmSync(this.reports, { recursive: true, force: true });
    const summary = { results, wallMs: this.elapsed(), passed: results.every((result) => result.exitCode === 0) };
    const byTime = [...results].sort((a, b) => b.endedMs - b.startedMs - (a.endedMs - a.startedMs));
    out.write(`  ${'wall'.padStart(8)}  ${'CPU'.padStart(8)}\n`);
    for (const result of byTime)
      out.write(
        `  ${result.exitCode === 0 ? '✔' : '✘'} ${seconds(result.endedMs - result.startedMs).padStart(8)}  ${(result.report ? seconds(result.report.cpuMs) : '?').padStart(8)}  ${result.file}\n`,
      );
    const cpuMs = results.reduce((sum, result) => sum + (result.report?.cpuMs ?? 0), 0);
    out.write(`  ${seconds(summary.wallMs).padStart(10)}  ${seconds(cpuMs).padStart(8)}  in all\n`);
    out.write('closest to their timeouts:\n');
    for (const use of closestToTimeout(results, 5)) {
      const flag = use.share > TIMEOUT_SHARE_FLAG ? '  ⚠ within half of its timeout' : '';
      out.write(
        `  ${(use.share * 100).toFixed(0).padStart(3)}%  ${seconds(use.durationMs)} of ${seconds(use.timeoutMs)}  ${use.kind} "${use.title}" (${use.file})${flag}\n`,
      );
    }
    const failed = results.filter((result) => result.exitCode !== 0).length;
    out.write(`${files.length} test file(s) in ${seconds(summary.wallMs)} (${jobs} at a time): ${files.length - failed} passed, ${failed} failed\n`);
    return summary;
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  private runFile(file: string): Promise<TestFileResult> {
    const [command, ...args] = this.options.command;
    const startedMs = this.elapsed();
    return new Promise((resolve) => {
      let output = '';
      const reportFile = join(this.reports, `${startedMs.toFixed(3)}.json`);
      const env = { ...process.env, TEST_REPORT_FILE: reportFile };
      const child = spawn(command, [...args, ...(this.options.argsOf?.(file) ?? [file])], { cwd: this.options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // A command that cannot start is that file's failure, not the runner's crash.
      child.once('error', (error) => (output += `${command} did not start: ${error.message}\n`));
      child.once('close', (exitCode, signal) => {
        const report = readReport(reportFile);
        resolve({ file, exitCode: exitCode ?? (signal ? null : 1), signal, startedMs, endedMs: this.elapsed(), output, ...(report ? { report } : {}) });
      });
    });
  }
}

/** The report a file's process wrote as it exited, or none (it was killed, or it is not mocha). */
function readReport(path: string): FileReport | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as FileReport;
  } catch {
    return undefined;
  }
}
