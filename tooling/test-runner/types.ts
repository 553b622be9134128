/** What {@link TestFileRunner} runs, and how many at once. */
export interface TestFileRunnerOptions {
  /** Test files, started in this order (see {@link longestFirst}). */
  files: readonly string[];
  /** How many files run at once (each in a process of its own). */
  jobs: number;
  /** The command each file runs with: the file (or what `argsOf` gives for it) is appended. */
  command: readonly [string, ...string[]];
  /** The arguments a file's process gets after `command` (default: the file alone). */
  argsOf?: (file: string) => readonly string[];
  /** Where the start and finish lines and each file's output go. */
  out: NodeJS.WritableStream;
  /** Working directory of every process (default: this process's). */
  cwd?: string;
}

/** How one file's process ended. */
export interface TestFileResult {
  file: string;
  /** Exit code, or null when a signal ended the process. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds since the runner started (when this file started, and when it ended). */
  startedMs: number;
  endedMs: number;
  /** Everything the process wrote to stdout and stderr, in the order it arrived. */
  output: string;
  /** What the process reported of itself as it exited (mocha-report.ts), when it did. */
  report?: FileReport;
}

/** One test or hook of a file: how long it took against the timeout it had. */
export interface RunnableTiming {
  kind: 'test' | 'hook';
  /** Its full title, suites included. */
  title: string;
  durationMs: number;
  timeoutMs: number;
}

/** What a mocha process writes of itself as it exits when TEST_REPORT_FILE names a file (tooling/test-runner/mocha-report.ts). */
export interface FileReport {
  /** CPU time of the process (every thread) and of the children it waited for. */
  cpuMs: number;
  timings: RunnableTiming[];
}

/** The whole run: every file's result, in the order the files ended. */
export interface TestRunSummary {
  results: TestFileResult[];
  wallMs: number;
  passed: boolean;
}
