// A mocha root hook plugin (.mocharc.json "require"): when TEST_REPORT_FILE is set, the process writes, as
// it exits, how long each test and hook took against its timeout and the CPU the process and its children
// used. scripts/test-files.ts sets the variable per file and reads the report (tooling/test-runner/file-report.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Context, Hook, Runnable, Suite } from 'mocha';
import type { FileReport, RunnableTiming } from './types.ts';

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux the project runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds of this process (all its threads) and of its children that ended: /proc/self/stat's
 * utime, stime, cutime and cstime. Where /proc is missing, this process's own CPU alone.
 */
export function processTreeCpuMs(stat?: string): number {
  try {
    const text = stat ?? readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    if (Number.isFinite(ticks)) return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    // no /proc (macOS): fall through
  }
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function timingOf(runnable: Runnable, kind: RunnableTiming['kind']): RunnableTiming | undefined {
  if (runnable.duration === undefined) return undefined;
  return { kind, title: runnable.fullTitle(), durationMs: runnable.duration, timeoutMs: runnable.timeout() };
}

/** Every test and hook of `suite` and the suites under it that ran, with its time and timeout. */
export function timingsOf(suite: Suite): RunnableTiming[] {
  const hooks = suite as unknown as Record<'_beforeAll' | '_afterAll' | '_beforeEach' | '_afterEach', Hook[]>;
  const own = [
    ...suite.tests.map((test) => timingOf(test, 'test')),
    ...[...hooks._beforeAll, ...hooks._afterAll, ...hooks._beforeEach, ...hooks._afterEach].map((hook) => timingOf(hook, 'hook')),
  ];
  return [...own.filter((timing): timing is RunnableTiming => timing !== undefined), ...suite.suites.flatMap(timingsOf)];
}

let root: Suite | undefined;

/** Root hooks of every mocha process of the project. */
export const mochaHooks = {
  beforeAll(this: Context): void {
    const target = process.env.TEST_REPORT_FILE;
    if (!target || root) return;
    root = this.test?.parent;
    process.once('exit', () => {
      const report: FileReport = { cpuMs: processTreeCpuMs(), timings: root ? timingsOf(root) : [] };
      writeFileSync(target, JSON.stringify(report));
    });
  },
};
