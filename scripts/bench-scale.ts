/**
 * `make bench-scale` (not part of `make test`): the whole migration at
 * growing sizes on the embedded runtime, to show that time per record and
 * memory stay flat. Per size: seed (clean data), a stand-in of its own with
 * its rate limit off, `make migrate` as a child process (plain progress
 * lines), the resident memory of the whole process tree (CLI with its
 * Lambda worker threads, and the stand-in) sampled every second, and the
 * report checked to add up. Then one run with dirty data, for the size of
 * report.html. Written to .local/bench/scale.json with the machine.
 *
 * Knobs: BENCH_SCALES (default "20,200": about 108,000 and 1,080,000 rows),
 * BENCH_DIRT (default 0.05; 0 skips the dirty run), BENCH_CLEAN (default 1;
 * 0 runs the dirty one alone and keeps the clean runs scale.json, or the
 * file BENCH_EARLIER names, holds at the same rates: each run is about two
 * hours at SCALE=200),
 * BENCH_TARGET_RPS (default 2000), BENCH_CONCURRENCY (default 4),
 * LEGACY_DB_URL.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { CollectionReport, RunReport } from '../src/ledger/index.ts';
import { ProcessTreeMemory } from '../tooling/bench/process-tree-memory.ts';
import { memoryPeaks, type MemoryPeaks } from '../tooling/local/memory-log.ts';
import { startStandinProcess } from '../tooling/standin/process.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FOLDER = join(ROOT, '.local', 'bench');
const SCALES = (process.env.BENCH_SCALES ?? '20,200')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const DIRT = process.env.BENCH_DIRT ?? '0.05';
const CLEAN = process.env.BENCH_CLEAN !== '0';
const EARLIER = resolve(process.env.BENCH_EARLIER ?? join(FOLDER, 'scale.json'));
const TARGET_RPS = process.env.BENCH_TARGET_RPS ?? '2000';
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '4';
const TOKEN = 'bench-scale-token';
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** What one size came to. */
interface ScaleRun {
  scale: string;
  dirt: string;
  customer: string;
  rows: number;
  /** Records the run sent or judged: the report's source, summed over collections. */
  records: number;
  seedSeconds: number;
  runSeconds: number;
  msPerRecord: number;
  peakMemoryMiB: number;
  memorySamples: number;
  /** The peak of each process tree alone: the stand-in (the target's stand-in, not the engine) and make migrate. */
  peakStandinMiB: number;
  peakMigrateMiB: number;
  /** Inside make migrate, from its memory log: main thread (emulators, endpoints, CLI), Lambda instances, native. */
  migrateParts: MemoryPeaks;
  status: string;
  /** source = migrated + updated + alreadyMigrated + skipped + failed, for every collection. */
  reportAddsUp: boolean;
  failures: number;
  reportHtmlBytes: number;
  /** The CPU model it ran on: with BENCH_CLEAN=0 the clean runs may come from another machine than the dirty one. */
  cpu?: string;
}

/** Runs a script of the project with its output in a log file; resolves with the exit code. */
function runScript(script: string, env: Record<string, string>, log: string, onStart?: (pid: number) => void): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, [join(ROOT, 'scripts', script)], { cwd: ROOT, env: { ...process.env, CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createWriteStream(log);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    if (child.pid) onStart?.(child.pid);
    child.once('error', fail);
    child.once('exit', (code) => done(code ?? 1));
  });
}

/** The report folder of the customer's only run: measure() clears the bench customer's reports first, so an earlier run's report is never taken for this one's. */
function latestReport(customer: string): string | undefined {
  const dir = join(ROOT, 'reports', customer);
  const runs = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => existsSync(join(dir, name, 'report.json')))
        .sort()
    : [];
  return runs.length === 0 ? undefined : join(dir, runs.at(-1)!);
}

async function measure(scale: string, dirt: string): Promise<ScaleRun> {
  const customer = `scale${scale.replace(/\W/g, '')}${dirt === '0' ? '' : 'dirty'}`;
  const seedStarted = Date.now();
  const seedLog = join(FOLDER, `${customer}-seed.log`);
  if ((await runScript('seed.ts', { CUSTOMER: customer, SEED: '11', SCALE: scale, DIRT: dirt }, seedLog)) !== 0)
    throw new Error(`seeding ${customer} failed: ${seedLog}`);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const rows = Number(/seeded (\d+) rows/.exec(readFileSync(seedLog, 'utf8'))?.[1] ?? 0);
  console.log(`${customer}: ${rows} rows seeded in ${seedSeconds.toFixed(0)} s`);

  const standin = await startStandinProcess({
    FIBERCONNECT_DATA: join(FOLDER, `${customer}-${Date.now()}.sqlite`),
    FIBERCONNECT_TOKENS: `${customer}:${TOKEN}`,
    FIBERCONNECT_ADMIN_TOKEN: 'admin-token',
    FIBERCONNECT_JOB_DELAY_MS: '200',
    FIBERCONNECT_RATE: '0',
  });
  let migratePid: number | undefined;
  const memory = new ProcessTreeMemory(() => [standin.pid, ...(migratePid ? [migratePid] : [])]);
  const standinMemory = new ProcessTreeMemory(() => [standin.pid]);
  const migrateMemory = new ProcessTreeMemory(() => (migratePid ? [migratePid] : []));
  for (const sampler of [memory, standinMemory, migrateMemory]) sampler.start();
  const memoryLog = join(FOLDER, `${customer}-memory.jsonl`);
  rmSync(memoryLog, { force: true });
  const started = Date.now();
  const log = join(FOLDER, `${customer}-migrate.log`);
  // The bench's own customer, seeded anew above: reports of its earlier runs would only be mistaken for this one's.
  rmSync(join(ROOT, 'reports', customer), { recursive: true, force: true });
  const code = await runScript(
    'migrate.ts',
    { CUSTOMER: customer, FIBERCONNECT_URL: standin.url, FIBERCONNECT_TOKEN: TOKEN, TARGET_RPS, CONCURRENCY, SOURCE_RPS: '200', LOCAL_MEMORY_LOG: memoryLog },
    log,
    (pid) => (migratePid = pid),
  );
  const runSeconds = (Date.now() - started) / 1000;
  const { peakBytes, samples } = memory.stop();
  const [standinPeak, migratePeak] = [standinMemory.stop().peakBytes, migrateMemory.stop().peakBytes];
  await standin.stop();
  if (code === 2) throw new Error(`make migrate refused the run of ${customer}: ${log}`);

  const folder = latestReport(customer);
  if (!folder)
    throw new Error(
      `make migrate of ${customer} wrote no report (exit ${code}, ${runSeconds.toFixed(0)} s, peak ${Math.round(peakBytes / 2 ** 20)} MiB): ${log}`,
    );
  const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as RunReport & { status?: string };
  const entities = Object.values(report.entities) as (CollectionReport & { updated?: number })[];
  const records = entities.reduce((sum, e) => sum + e.source, 0);
  const result: ScaleRun = {
    scale,
    dirt,
    customer,
    rows,
    records,
    seedSeconds,
    runSeconds,
    msPerRecord: (runSeconds * 1000) / Math.max(1, records),
    peakMemoryMiB: Math.round(peakBytes / 2 ** 20),
    memorySamples: samples,
    peakStandinMiB: Math.round(standinPeak / 2 ** 20),
    peakMigrateMiB: Math.round(migratePeak / 2 ** 20),
    migrateParts: await memoryPeaks(memoryLog),
    status: code === 0 ? 'SUCCEEDED' : 'FAILED',
    reportAddsUp: entities.every((e) => e.source === e.migrated + (e.updated ?? 0) + e.alreadyMigrated + e.skipped + e.failed),
    failures: entities.reduce((sum, e) => sum + e.skipped + e.failed, 0),
    reportHtmlBytes: statSync(join(folder, 'report.html')).size,
    cpu: cpus()[0]?.model,
  };
  console.log(
    `${customer}: ${result.status} in ${runSeconds.toFixed(0)} s, ${records} records, ${result.msPerRecord.toFixed(2)} ms/record, peak ${result.peakMemoryMiB} MiB, report ${result.reportAddsUp ? 'adds up' : 'DOES NOT add up'}, report.html ${(result.reportHtmlBytes / 1024).toFixed(0)} KiB`,
  );
  const parts = result.migrateParts;
  const largest = parts.largestFunction
    ? ` (most in ${parts.largestFunction.name}: ${parts.largestFunction.heapMiB} in ${parts.largestFunction.instances})`
    : '';
  const migrate = `make migrate ${result.peakMigrateMiB} MiB (largest private ${parts.rssAnonMiB}, with ${parts.rssFileMiB} of mapped files)`;
  const heaps = `main-thread heap ${parts.mainHeapMiB} (+${parts.mainExternalMiB} external), Lambda instances' heaps ${parts.instancesHeapMiB} (+${parts.instancesExternalMiB} external) in up to ${parts.instances} instances${largest}`;
  console.log(
    `${customer}: memory peaks: stand-in ${result.peakStandinMiB} MiB; ${migrate}: ${heaps}, native memory no heap accounts for ${parts.nativeAtPeakMiB}`,
  );
  return result;
}

const MACHINE = { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };

/**
 * The clean runs an earlier bench-scale wrote at the same rates, for
 * BENCH_CLEAN=0; it fails when there are none for a size asked for, since
 * the ratios need them. The ratios compare those runs with each other only,
 * so they may come from another machine than this one (each run names its CPU).
 */
function earlierCleanRuns(): ScaleRun[] {
  const file = EARLIER;
  const earlier = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { machine: typeof MACHINE; targetRps: number; concurrency: number; runs: ScaleRun[] })
    : undefined;
  const same = earlier && earlier.targetRps === Number(TARGET_RPS) && earlier.concurrency === Number(CONCURRENCY);
  const runs = SCALES.map((scale) => (same ? earlier.runs.find((run) => run.scale === scale && run.dirt === '0') : undefined));
  const missing = SCALES.filter((_, index) => !runs[index]);
  if (missing.length > 0)
    throw new Error(
      `BENCH_CLEAN=0 needs the clean runs of SCALE=${missing.join(',')} in ${file} at TARGET_RPS ${TARGET_RPS} and concurrency ${CONCURRENCY}: run them first`,
    );
  return (runs as ScaleRun[]).map((run) => ({ ...run, cpu: run.cpu ?? earlier!.machine.model }));
}

/** The result file of the runs so far: written after every run, so a run cut short keeps the sizes it finished. */
function summarise(runs: ScaleRun[]) {
  const clean = runs.filter((run) => run.dirt === '0');
  const smallest = clean[0]!;
  const largest = clean.at(-1)!;
  const result = {
    machine: MACHINE,
    targetRps: Number(TARGET_RPS),
    concurrency: Number(CONCURRENCY),
    complete: runs.length === SCALES.length + (DIRT === '0' ? 0 : 1),
    runs,
    timePerRecordLargestVsSmallest: largest.msPerRecord / smallest.msPerRecord,
    peakMemoryLargestVsSmallest: largest.peakMemoryMiB / smallest.peakMemoryMiB,
  };
  writeFileSync(join(FOLDER, 'scale.json'), `${JSON.stringify(result, null, 2)}\n`);
  return { result, smallest, largest };
}

async function main(): Promise<void> {
  mkdirSync(FOLDER, { recursive: true });
  const runs: ScaleRun[] = CLEAN ? [] : earlierCleanRuns();
  if (!CLEAN && DIRT === '0') throw new Error('BENCH_CLEAN=0 with BENCH_DIRT=0 leaves nothing to run');
  for (const scale of CLEAN ? SCALES : []) {
    runs.push(await measure(scale, '0'));
    summarise(runs);
  }
  if (!CLEAN)
    console.log(
      `clean runs from ${EARLIER}: ${runs.map((run) => `SCALE=${run.scale} ${run.msPerRecord.toFixed(2)} ms/record, ${run.peakMemoryMiB} MiB on ${run.cpu}`).join('; ')}`,
    );
  if (DIRT !== '0') runs.push(await measure(SCALES.at(-1)!, DIRT));
  const { result, smallest, largest } = summarise(runs);
  console.log('');
  console.log(
    `time per record, SCALE=${largest.scale} vs SCALE=${smallest.scale}: ${largest.msPerRecord.toFixed(2)} / ${smallest.msPerRecord.toFixed(2)} ms = ${result.timePerRecordLargestVsSmallest.toFixed(2)} (goal at most 1.2)`,
  );
  console.log(
    `peak memory of the process tree:          ${largest.peakMemoryMiB} / ${smallest.peakMemoryMiB} MiB = ${result.peakMemoryLargestVsSmallest.toFixed(2)} (goal at most 1.25)`,
  );
  for (const run of runs.filter((r) => r.dirt !== '0'))
    console.log(
      `report.html at SCALE=${run.scale} with DIRT=${run.dirt}: ${(run.reportHtmlBytes / 2 ** 20).toFixed(2)} MiB (goal under 5 MB), ${run.failures} failed or skipped`,
    );
  console.log(`machine: ${result.machine.cpus} cores, ${result.machine.memoryGiB} GiB, ${result.machine.model}; written to ${join(FOLDER, 'scale.json')}`);
}

main().catch((error: unknown) => {
  console.error(`bench-scale: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
