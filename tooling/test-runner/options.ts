import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestFileResult } from './types.ts';

/** What `scripts/test-files.ts` was asked to run. */
export interface TestFilesArgs {
  jobs: number;
  /** Folders whose `*.test.ts` files (at any depth) run, each file in a process of its own. */
  folders: string[];
  /** Folders whose files run together, in one process (one job): files that share ports or customers. */
  whole: string[];
  /** Options for mocha, after `--`. */
  mochaArgs: string[];
  /** A JSON file of each file's time in the last run: read to start the slowest first, rewritten after the run. */
  times?: string;
  /** A committed JSON file of each file's time on a clean run: the order's fallback for files `times` does not know (a clean clone has no `times`). */
  baseline?: string;
}

/**
 * Test processes per core when `--jobs auto`. A process of the suites keeps a core busy for less than
 * half its time (the rest it waits on rates, polls, the stand-in and its own workflow's steps): measured
 * on 2 idle cores, 4 to 5 processes at once used 1.26 cores on average. Three per core fill the cores;
 * every timeout and wait in the suites is a safety net or bounded by lack of progress, so a busier core
 * makes a file slower, not red.
 */
export const JOBS_PER_CORE = 3;
/** Memory one process of the suites takes at its peak (a local runtime with its workers), to fit the jobs into what is free. */
export const MEMORY_PER_JOB_BYTES = 2 * 1024 ** 3;

/**
 * How many test processes fit this machine: {@link JOBS_PER_CORE} per core, as many as the free memory holds, at least one.
 *
 * @example
 * jobsFor(2, 20 * 1024 ** 3); // 6 on two cores with 20 GiB free
 */
export function jobsFor(cores = availableParallelism(), freeBytes = freemem()): number {
  return Math.max(1, Math.min(cores * JOBS_PER_CORE, Math.floor(freeBytes / MEMORY_PER_JOB_BYTES)));
}

const USAGE = 'usage [--jobs N|auto] [--times <file.json>] [--baseline <file.json>] [--whole <folder>]... <folder>... [-- <mocha options>]';

/** Parses `[--jobs N|auto] [--times <file.json>] [--baseline <file.json>] [--whole <folder>]... <folder>... [-- <mocha options>]`; throws a one-line message on a bad one. */
export function parseTestFilesArgs(argv: readonly string[]): TestFilesArgs {
  const split = argv.indexOf('--');
  const own = split < 0 ? [...argv] : argv.slice(0, split);
  const mochaArgs = split < 0 ? [] : argv.slice(split + 1);
  let jobs = 1;
  let times: string | undefined;
  let baseline: string | undefined;
  const folders: string[] = [];
  const whole: string[] = [];
  for (let i = 0; i < own.length; i += 1) {
    const arg = own[i]!;
    if (arg === '--jobs') {
      jobs = own[++i] === 'auto' ? jobsFor() : Number(own[i]);
      if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a whole number of at least 1 (got ${own[i]})`);
    } else if (arg === '--times') {
      times = own[++i];
      if (!times) throw new Error(`--times needs a file: ${USAGE}`);
    } else if (arg === '--baseline') {
      baseline = own[++i];
      if (!baseline) throw new Error(`--baseline needs a file: ${USAGE}`);
    } else if (arg === '--whole') {
      const folder = own[++i];
      if (!folder || folder.startsWith('-')) throw new Error(`--whole needs a folder: ${USAGE}`);
      whole.push(folder);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}: ${USAGE}`);
    } else {
      folders.push(arg);
    }
  }
  if (folders.length + whole.length === 0) throw new Error(`name at least one folder of test files: ${USAGE}`);
  return { jobs, folders, whole, mochaArgs, ...(times ? { times } : {}), ...(baseline ? { baseline } : {}) };
}

/**
 * The first line of a test file that runs in a process of its own though it lies in a `--whole` folder:
 * a file that runs whole workflows, which would keep the folder's one process busy for minutes. The rest
 * of the line says why.
 */
export const ALONE_MARKER = '// Runs alone:';

/** The files of `folders` whose first line is {@link ALONE_MARKER}. */
export function aloneFilesIn(folders: readonly string[]): string[] {
  return testFilesIn(folders).filter((file) => readFileSync(file, 'utf8').startsWith(ALONE_MARKER));
}

/** Every `*.test.ts` file under `folders` (a `*.test.ts` named itself stands for itself), as paths from the working directory, sorted. */
export function testFilesIn(folders: readonly string[]): string[] {
  const filesOf = (folder: string): string[] =>
    folder.endsWith('.test.ts')
      ? [folder]
      : readdirSync(folder, { recursive: true, encoding: 'utf8' })
          .filter((name) => name.endsWith('.test.ts'))
          .map((name) => join(folder, name));
  return folders.flatMap(filesOf).sort();
}

/** The glob that runs every `*.test.ts` file of a folder in one mocha process: the name of that job. */
export function wholeFolderGlob(folder: string): string {
  return join(folder, '**', '*.test.ts');
}

/**
 * The mocha arguments of each job of a run: a file, or a whole folder's glob with
 * `--ignore` for each of the folder's files that runs alone.
 *
 * @example
 * const argsOf = mochaArgsOf(['test/integration'], ['test/integration/cli/slow.test.ts']);
 * argsOf(wholeFolderGlob('test/integration')); // [the glob, '--ignore', 'test/integration/cli/slow.test.ts']
 */
export function mochaArgsOf(whole: readonly string[], alone: readonly string[]): (job: string) => string[] {
  return (job) => {
    const folder = whole.find((candidate) => wholeFolderGlob(candidate) === job);
    if (folder === undefined) return [job];
    return [job, ...alone.filter((file) => file.startsWith(`${folder}/`)).flatMap((file) => ['--ignore', file])];
  };
}

/**
 * `files` in the order that ends a run soonest: the slowest of the last run
 * first (a slow file started last would run on alone at the end), files
 * without a time before them (a new file may be slow), each group in path order.
 */
export function longestFirst(files: readonly string[], lastMs: Readonly<Record<string, number>>): string[] {
  const known = files.filter((file) => lastMs[file] !== undefined).sort((a, b) => lastMs[b]! - lastMs[a]!);
  return [...files.filter((file) => lastMs[file] === undefined), ...known];
}

/** Each file's time from the last run, or none when the file is missing or unreadable (a clean clone). */
export function readTimes(path: string): Record<string, number> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).filter(([, ms]) => typeof ms === 'number')) : {};
  } catch {
    return {};
  }
}

/** Keeps this run's times (a failed file's too: its time still says how long it runs). */
export function writeTimes(path: string, results: readonly TestFileResult[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const times = Object.fromEntries(results.map((result) => [result.file, Math.round(result.endedMs - result.startedMs)]));
  writeFileSync(path, `${JSON.stringify({ ...readTimes(path), ...times }, null, 2)}\n`);
}

/**
 * Rewrites the committed order of a clean clone with a passing run's times, to the second (the order
 * needs no more): the files of this run only, so a file that is gone leaves it. `make test` keeps it
 * current; commit it with the change that moved the times.
 */
export function writeBaseline(path: string, results: readonly TestFileResult[]): void {
  const times = Object.fromEntries(
    [...results]
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((result) => [result.file, Math.max(1_000, Math.round((result.endedMs - result.startedMs) / 1_000) * 1_000)]),
  );
  writeFileSync(path, `${JSON.stringify(times, null, 2)}\n`);
}
