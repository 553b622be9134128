import { expect } from 'chai';
import type { Suite } from 'mocha';
import { processTreeCpuMs, timingsOf } from '../../../tooling/test-runner/mocha-report.ts';
import { closestToTimeout } from '../../../tooling/test-runner/timeouts.ts';
import type { TestFileResult } from '../../../tooling/test-runner/types.ts';

/** A finished file with tests that took `durations` ms each of a 1,000 ms timeout. */
function resultOf(file: string, durations: number[], timeoutMs = 1_000): TestFileResult {
  const timings = durations.map((durationMs, i) => ({ kind: 'test' as const, title: `${file} ${i}`, durationMs, timeoutMs }));
  return { file, exitCode: 0, signal: null, startedMs: 0, endedMs: 1, output: '', report: { cpuMs: 0, timings } };
}

describe('what a test process reports of itself (tooling/test-runner/mocha-report.ts)', () => {
  it("reads the CPU of the process and of its ended children from /proc/self/stat, whatever spaces the command's name holds", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const stat = '4242 (node (mocha) x) R 1 1 1 0 -1 4194304 10 0 0 0 150 50 300 25 20 0 12 0 100 0 0';
    expect(processTreeCpuMs(stat)).to.equal(((150 + 50 + 300 + 25) * 1000) / 100);
  });

  it('measures this process when no stat is given: a positive number of milliseconds', () => {
    expect(processTreeCpuMs()).to.be.a('number').above(0);
  });

  it('lists every test and hook that ran, in suites at any depth, with its duration and timeout, and none that did not run', () => {
    const runnable = (title: string, duration: number | undefined) => ({ duration, timeout: () => 2_000, fullTitle: () => title });
    const inner = {
      tests: [runnable('inner test', 30)],
      suites: [],
      _beforeAll: [runnable('inner before', 40)],
      _afterAll: [],
      _beforeEach: [],
      _afterEach: [],
    };
    const root = {
      tests: [runnable('root test', 10), runnable('skipped', undefined)],
      suites: [inner],
      _beforeAll: [],
      _afterAll: [runnable('root after', 5)],
      _beforeEach: [],
      _afterEach: [],
    };
    expect(timingsOf(root as unknown as Suite)).to.deep.equal([
      { kind: 'test', title: 'root test', durationMs: 10, timeoutMs: 2_000 },
      { kind: 'hook', title: 'root after', durationMs: 5, timeoutMs: 2_000 },
      { kind: 'test', title: 'inner test', durationMs: 30, timeoutMs: 2_000 },
      { kind: 'hook', title: 'inner before', durationMs: 40, timeoutMs: 2_000 },
    ]);
  });
});

describe('the tests closest to their timeouts (tooling/test-runner/timeouts.ts)', () => {
  it('ranks the tests of every file by the share of their timeout they used, closest first, as many as asked', () => {
    const closest = closestToTimeout([resultOf('a', [100, 700]), resultOf('b', [400])], 2);
    expect(closest.map((use) => [use.file, use.title, use.share])).to.deep.equal([
      ['a', 'a 1', 0.7],
      ['b', 'b 0', 0.4],
    ]);
  });

  it('leaves out tests without a timeout (0) and files that reported nothing', () => {
    const silent: TestFileResult = { file: 'c', exitCode: 1, signal: 'SIGKILL', startedMs: 0, endedMs: 1, output: '' };
    expect(closestToTimeout([resultOf('a', [5_000], 0), silent], 5)).to.deep.equal([]);
  });
});
