// Runs every *.test.ts file under the given folders side by side, one mocha process per file, at most
// --jobs at once; each file's output is printed in one piece when it ends. Exits 1 when any file failed.
// Usage: tsx scripts/test-files.ts [--jobs N] <folder>... [-- <mocha options>]   (make test-e2e)
import { createRequire } from 'node:module';
import { parseTestFilesArgs, testFilesIn } from '../tooling/test-runner/options.ts';
import { TestFileRunner } from '../tooling/test-runner/file-runner.ts';

const args = parseTestFilesArgs(process.argv.slice(2));
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const summary = await new TestFileRunner({ files: testFilesIn(args.folders), jobs: args.jobs, command: [process.execPath, mocha, ...args.mochaArgs], out: process.stdout }).run();
process.exitCode = summary.passed ? 0 : 1;
