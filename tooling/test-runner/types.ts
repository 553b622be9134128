/** What {@link TestFileRunner} runs, and how many at once. */
export interface TestFileRunnerOptions {
  /** Test files, started in this order (see {@link longestFirst}). */
  files: readonly string[];
  /** How many files run at once (each in a process of its own). */
  jobs: number;
  /** The command each file runs with: the file is appended as the last argument. */
  command: readonly [string, ...string[]];
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
}

/** The whole run: every file's result, in the order the files ended. */
export interface TestRunSummary {
  results: TestFileResult[];
  wallMs: number;
  passed: boolean;
}
