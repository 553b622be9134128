// Runs every *.test.ts file under the given folders side by side, one mocha process per file (a --whole
// folder's files in one process of their own, one glob mocha expands, but for its files whose first line is
// ALONE_MARKER, each in a process of its own), at most --jobs at once, the slowest
// of the last run (--times, else the committed --baseline, which a passing run rewrites) first; each one's output is printed in one piece
// when it ends. Exits 1 when any failed.
// Usage: tsx scripts/test-files.ts [--jobs N|auto] [--times <file.json>] [--baseline <file.json>] [--whole <folder>]... <folder>... [-- <mocha options>]   (make test-suites)
import { createRequire } from 'node:module';
import {
  aloneFilesIn,
  longestFirst,
  mochaArgsOf,
  parseTestFilesArgs,
  readTimes,
  testFilesIn,
  wholeFolderGlob,
  writeBaseline,
  writeTimes,
} from '../tooling/test-runner/options.ts';
import { TestFileRunner } from '../tooling/test-runner/file-runner.ts';

const args = parseTestFilesArgs(process.argv.slice(2));
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const lastMs = { ...(args.baseline ? readTimes(args.baseline) : {}), ...(args.times ? readTimes(args.times) : {}) };
const alone = aloneFilesIn(args.whole);
const files = longestFirst([...args.whole.map(wholeFolderGlob), ...alone, ...testFilesIn(args.folders)], lastMs);
const summary = await new TestFileRunner({
  files,
  jobs: args.jobs,
  command: [process.execPath, mocha, ...args.mochaArgs],
  argsOf: mochaArgsOf(args.whole, alone),
  out: process.stdout,
}).run();
if (args.times) writeTimes(args.times, summary.results);
if (args.baseline && summary.passed) writeBaseline(args.baseline, summary.results);
process.exitCode = summary.passed ? 0 : 1;
