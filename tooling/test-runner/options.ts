import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What `scripts/test-files.ts` was asked to run. */
export interface TestFilesArgs {
  jobs: number;
  /** Folders whose `*.test.ts` files (at any depth) run. */
  folders: string[];
  /** Options for mocha, after `--`. */
  mochaArgs: string[];
}

/** Parses `[--jobs N] <folder>... [-- <mocha options>]`; throws a one-line message on a bad one. */
export function parseTestFilesArgs(argv: readonly string[]): TestFilesArgs {
  const split = argv.indexOf('--');
  const own = split < 0 ? [...argv] : argv.slice(0, split);
  const mochaArgs = split < 0 ? [] : argv.slice(split + 1);
  let jobs = 1;
  const folders: string[] = [];
  for (let i = 0; i < own.length; i += 1) {
    const arg = own[i]!;
    if (arg === '--jobs') {
      jobs = Number(own[++i]);
      if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a whole number of at least 1 (got ${own[i]})`);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}: usage [--jobs N] <folder>... [-- <mocha options>]`);
    } else {
      folders.push(arg);
    }
  }
  if (folders.length === 0) throw new Error('name at least one folder of test files: usage [--jobs N] <folder>... [-- <mocha options>]');
  return { jobs, folders, mochaArgs };
}

/** Every `*.test.ts` file under `folders`, as paths from the working directory, sorted. */
export function testFilesIn(folders: readonly string[]): string[] {
  return folders.flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.test.ts')).map((name) => join(folder, name))).sort();
}
