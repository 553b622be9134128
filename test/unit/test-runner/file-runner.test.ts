import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TestFileRunner } from '../../../tooling/test-runner/file-runner.ts';
import {
  ALONE_MARKER,
  aloneFilesIn,
  JOBS_PER_CORE,
  jobsFor,
  longestFirst,
  MEMORY_PER_JOB_BYTES,
  mochaArgsOf,
  parseTestFilesArgs,
  readTimes,
  testFilesIn,
  wholeFolderGlob,
  writeBaseline,
  writeTimes,
} from '../../../tooling/test-runner/options.ts';

/**
 * A stand-in for `mocha <file>`: the "file" names what the process does,
 * `<name>:<ms>:<exit>`. It prints three lines over `ms` milliseconds, then exits.
 */
const FAKE_FILE = `
const [name, ms, code] = process.argv[1].split(':');
const step = Number(ms) / 3;
let line = 0;
const timer = setInterval(() => {
  line += 1;
  console.log(name + ' line ' + line);
  if (line === 3) { clearInterval(timer); process.exit(Number(code)); }
}, step);
`;

/** A non-terminal output that keeps what was written. */
function output(): { stream: NodeJS.WritableStream; text(): string } {
  const writes: string[] = [];
  return { stream: { write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WritableStream, text: () => writes.join('') };
}

const run = (files: string[], jobs: number) => {
  const out = output();
  return new TestFileRunner({ files, jobs, command: [process.execPath, '-e', FAKE_FILE], out: out.stream })
    .run()
    .then((summary) => ({ summary, text: out.text() }));
};

/** The most results whose [startedMs, endedMs) overlap at one moment. */
function maxOverlap(results: { startedMs: number; endedMs: number }[]): number {
  return Math.max(...results.map((result) => results.filter((other) => other.startedMs <= result.startedMs && result.startedMs < other.endedMs).length));
}

describe('the test file runner: files side by side, each in a process of its own', function () {
  this.timeout(20_000);

  it('runs at most jobs files at once, and side by side in less time than one after the other', async () => {
    const { summary } = await run(['a:600:0', 'b:600:0', 'c:600:0', 'd:600:0'], 2);
    expect(summary.results).to.have.length(4);
    expect(maxOverlap(summary.results)).to.equal(2);
    expect(summary.passed).to.equal(true);
    const serialMs = summary.results.reduce((sum, result) => sum + result.endedMs - result.startedMs, 0);
    expect(summary.wallMs).to.be.below(serialMs * 0.75);
  });

  it("prints each file's output in one piece after its start line and before its finish line, though the files wrote at the same time", async () => {
    const { text } = await run(['a:600:0', 'b:600:0'], 2);
    for (const name of ['a', 'b']) {
      const block = new RegExp(`\\n${name} line 1\\n${name} line 2\\n${name} line 3\\n✔ passed: ${name}:600:0 in \\d+\\.\\d s\\n`);
      expect(text).to.match(block);
      expect(text.indexOf(`▶ ${name}:600:0 started at`)).to.be.below(text.indexOf(`${name} line 1`));
    }
  });

  it('fails the run when one file fails, still runs the others, and names the failure with its exit code', async () => {
    const { summary, text } = await run(['bad:300:3', 'good:300:0', 'later:300:0'], 1);
    expect(summary.passed).to.equal(false);
    expect(summary.results.map((result) => [result.file, result.exitCode])).to.deep.equal([
      ['bad:300:3', 3],
      ['good:300:0', 0],
      ['later:300:0', 0],
    ]);
    expect(text).to.match(/✘ FAILED \(exit 3\): bad:300:3 in \d+\.\d s\n/);
    expect(text).to.match(/3 test file\(s\) in \d+\.\d s \(1 at a time\): 2 passed, 1 failed\n$/);
  });

  it("keeps what each file's process reported of itself as it exited (TEST_REPORT_FILE), and none for one that wrote nothing", async () => {
    const writeReport = `require('node:fs').writeFileSync(process.env.TEST_REPORT_FILE, JSON.stringify({ cpuMs: 1234, timings: [{ kind: 'test', title: process.argv[1], durationMs: 9, timeoutMs: 10 }] }))`;
    const out = output();
    const summary = await new TestFileRunner({
      files: ['reports', 'silent'],
      jobs: 2,
      command: [process.execPath, '-e', `if (process.argv[1] === 'reports') ${writeReport}`],
      out: out.stream,
    }).run();
    const byFile = Object.fromEntries(summary.results.map((result) => [result.file, result.report]));
    expect(byFile).to.deep.equal({ reports: { cpuMs: 1234, timings: [{ kind: 'test', title: 'reports', durationMs: 9, timeoutMs: 10 }] }, silent: undefined });
    expect(out.text()).to.match(/90% {2}0\.0 s of 0\.0 s {2}test "reports" \(reports\) {2}⚠ within half of its timeout\n/);
  });

  it('counts a command that cannot start as that file failing', async () => {
    const out = output();
    const summary = await new TestFileRunner({ files: ['x.test.ts'], jobs: 1, command: ['/no/such/command'], out: out.stream }).run();
    expect(summary.passed).to.equal(false);
    expect(out.text()).to.contain('/no/such/command did not start: spawn /no/such/command ENOENT');
  });
});

describe('the test file runner arguments', () => {
  it('takes --jobs, folders, and the options after -- for mocha', () => {
    expect(parseTestFilesArgs(['--jobs', '3', 'test/e2e', '--', '--timeout', '900000'])).to.deep.equal({
      jobs: 3,
      folders: ['test/e2e'],
      whole: [],
      mochaArgs: ['--timeout', '900000'],
    });
    expect(parseTestFilesArgs(['test/a', 'test/b'])).to.deep.equal({ jobs: 1, folders: ['test/a', 'test/b'], whole: [], mochaArgs: [] });
    expect(parseTestFilesArgs(['--times', '.local/t.json', 'test/a'])).to.deep.equal({
      jobs: 1,
      folders: ['test/a'],
      whole: [],
      mochaArgs: [],
      times: '.local/t.json',
    });
    expect(parseTestFilesArgs(['--baseline', 'test/e2e/durations.json', 'test/a'])).to.deep.equal({
      jobs: 1,
      folders: ['test/a'],
      whole: [],
      mochaArgs: [],
      baseline: 'test/e2e/durations.json',
    });
  });

  it('takes --whole folders, whose files run together as one job, with or without folders of files that run one by one', () => {
    expect(parseTestFilesArgs(['--whole', 'test/integration', 'test/e2e'])).to.deep.equal({
      jobs: 1,
      folders: ['test/e2e'],
      whole: ['test/integration'],
      mochaArgs: [],
    });
    expect(parseTestFilesArgs(['--whole', 'test/a', '--whole', 'test/b'])).to.deep.equal({ jobs: 1, folders: [], whole: ['test/a', 'test/b'], mochaArgs: [] });
    expect(() => parseTestFilesArgs(['test/a', '--whole'])).to.throw(/^--whole needs a folder/);
    expect(() => parseTestFilesArgs(['--whole', '--jobs', '2', 'test/a'])).to.throw(/^--whole needs a folder/);
    expect(wholeFolderGlob('test/integration')).to.equal('test/integration/**/*.test.ts');
  });

  it("runs the files of a whole folder that say so on their first line in processes of their own, and leaves them out of the folder's", () => {
    const root = mkdtempSync(join(tmpdir(), 'alone-'));
    try {
      writeFileSync(join(root, 'slow.test.ts'), `${ALONE_MARKER} two whole runs\n`);
      writeFileSync(join(root, 'quick.test.ts'), `// ${ALONE_MARKER} in a later line does not count\n`);
      const alone = aloneFilesIn([root]);
      expect(alone).to.deep.equal([join(root, 'slow.test.ts')]);
      const argsOf = mochaArgsOf([root], alone);
      expect(argsOf(wholeFolderGlob(root))).to.deep.equal([wholeFolderGlob(root), '--ignore', join(root, 'slow.test.ts')]);
      expect(argsOf(join(root, 'slow.test.ts'))).to.deep.equal([join(root, 'slow.test.ts')]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fits --jobs auto to the machine: JOBS_PER_CORE per core, no more than the free memory holds, at least one', () => {
    const gib = 1024 ** 3;
    expect(jobsFor(2, 20 * gib)).to.equal(2 * JOBS_PER_CORE);
    expect(jobsFor(8, 4 * gib)).to.equal(Math.floor((4 * gib) / MEMORY_PER_JOB_BYTES));
    expect(jobsFor(1, 0)).to.equal(1);
    expect(parseTestFilesArgs(['--jobs', 'auto', 'test/e2e']).jobs).to.be.within(1, availableParallelism() * JOBS_PER_CORE);
  });

  it('refuses jobs that are not a whole number of at least 1, an unknown option and no folder', () => {
    expect(() => parseTestFilesArgs(['--jobs', '0', 'test/e2e'])).to.throw('--jobs must be a whole number of at least 1 (got 0)');
    expect(() => parseTestFilesArgs(['--jobs', 'many', 'test/e2e'])).to.throw('--jobs must be a whole number of at least 1 (got many)');
    expect(() => parseTestFilesArgs(['--parallel', 'test/e2e'])).to.throw(/^unknown option --parallel/);
    expect(() => parseTestFilesArgs(['--jobs', '2'])).to.throw(/^name at least one folder/);
    expect(() => parseTestFilesArgs(['test/a', '--times'])).to.throw(/^--times needs a file/);
    expect(() => parseTestFilesArgs(['test/a', '--baseline'])).to.throw(/^--baseline needs a file/);
  });

  it('finds the *.test.ts files at any depth, sorted, and nothing else; a test file named itself stands for itself', () => {
    const root = mkdtempSync(join(tmpdir(), 'test-files-'));
    try {
      mkdirSync(join(root, 'deep'));
      for (const name of ['b.test.ts', 'a.test.ts', 'helpers.ts', 'deep/c.test.ts', 'notes.test.md']) writeFileSync(join(root, name), '');
      expect(testFilesIn([root])).to.deep.equal([join(root, 'a.test.ts'), join(root, 'b.test.ts'), join(root, 'deep/c.test.ts')]);
      expect(testFilesIn([join(root, 'b.test.ts'), join(root, 'deep')]), 'a file named itself').to.deep.equal([
        join(root, 'b.test.ts'),
        join(root, 'deep/c.test.ts'),
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the test file runner order: the slowest of the last run first', () => {
  it('starts files without a time first, then the others slowest first', () => {
    expect(longestFirst(['a', 'b', 'c', 'new', 'z-new'], { a: 10, b: 300, c: 20 })).to.deep.equal(['new', 'z-new', 'b', 'c', 'a']);
  });

  it('keeps the times of a run for the next one, and reads none from a missing or broken file', () => {
    const root = mkdtempSync(join(tmpdir(), 'test-times-'));
    try {
      const path = join(root, 'deep', 'times.json');
      expect(readTimes(path)).to.deep.equal({});
      writeTimes(path, [{ file: 'a', exitCode: 0, signal: null, startedMs: 100, endedMs: 1100.4, output: '' }]);
      writeTimes(path, [{ file: 'b', exitCode: 1, signal: null, startedMs: 0, endedMs: 50, output: '' }]);
      expect(readTimes(path)).to.deep.equal({ a: 1000, b: 50 });
      writeFileSync(path, '{ not json');
      expect(readTimes(path)).to.deep.equal({});
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("rewrites the committed order with a passing run's files only, to the second", () => {
    const root = mkdtempSync(join(tmpdir(), 'test-baseline-'));
    try {
      const path = join(root, 'durations.json');
      writeFileSync(path, JSON.stringify({ gone: 5_000, b: 1_000 }));
      writeBaseline(path, [
        { file: 'b', exitCode: 0, signal: null, startedMs: 0, endedMs: 61_499, output: '' },
        { file: 'a', exitCode: 0, signal: null, startedMs: 0, endedMs: 200, output: '' },
      ]);
      expect(readFileSync(path, 'utf8')).to.equal('{\n  "a": 1000,\n  "b": 61000\n}\n');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
