/**
 * `make bench`: measured side by side in one run on this machine, printed as
 * ratios and written to .local/bench/result.json; a run of every part also
 * writes docs/bench/results.md, the figures beside their goals
 * (tooling/bench/results-markdown.ts):
 *
 * 1. the engine's end-to-end records per second against a naive
 *    single-process loop (keyset SELECT, POST with keep-alive, same
 *    concurrency, no ledger) on the same data and the same stand-in;
 * 2. the achieved target rate against the configured TARGET_RPS, and the
 *    largest number of requests in any one-second window, on a fresh run of
 *    the demo-sized customer (SCALE=1);
 * 3. the wall time of a re-run of the migrated dataset against the first run;
 * 4. the timeline of the first run and the re-run: where their time went
 *    (flows, functions, queue time, DynamoDB, target), tooling/local/timeline.ts.
 *
 * 5. the wall time of a re-run of demo (SCALE=1) with nothing changed, from
 *    the CLI's entry to its summary (bundles built).
 *
 * Knobs: BENCH_SCALE (default 10: about 53,000 rows; a long run here), BENCH_CONCURRENCY (default 4),
 * BENCH_TARGET_RPS (default 50), BENCH_PARTS (default "speed,demo,rate": 1 and 3, 5, 2), LEGACY_DB_URL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RowDataPacket } from 'mysql2/promise';
import { Pool as HttpPool } from 'undici';
import { migrateLocally, type MigrationOutcome } from '../tooling/cli/migrate.ts';
import { type CollectionDefinition, definitionOf } from '../src/domain/collections/index.ts';
import { type Collection, COLLECTIONS, StatusMaps } from '../src/domain/index.ts';
import type { ParentOutcome } from '../src/domain/mapping/index.ts';
import { createLegacyPool, LegacyRegistry, parseLegacyDbUrl } from '../src/source/mysql/index.ts';
import { parseSeedOptions } from '../tooling/seed/options.ts';
import { seedCustomer } from '../tooling/seed/seed-customer.ts';
import { startStandinProcess, type StandinProcess } from '../tooling/standin/process.ts';
import { busiestSecond } from '../tooling/standin/request-timing.ts';
import { BENCH_GOALS, BENCH_RESULTS_MARKDOWN } from '../tooling/bench/constants.ts';
import { renderBenchResults } from '../tooling/bench/results-markdown.ts';
import type { BenchDemo, BenchRate, BenchResult, BenchSpeed } from '../tooling/bench/types.ts';
import { formatTimeline, RunTimeline, type TimelineSummary } from '../tooling/local/timeline.ts';

const CUSTOMER = 'bench';
const TOKEN = 'bench-token';
/** The stand-in refuses one token for two customers: the demo-sized customer has its own. */
const DEMO_TOKEN = 'benchdemo-token';
const LEGACY_DB_URL = process.env.LEGACY_DB_URL || 'mysql://root@127.0.0.1:3306';
const SCALE = process.env.BENCH_SCALE ?? '10';
/** The customer of the demo-sized re-run: seeded like demo (SCALE=1, clean data). */
const DEMO = 'benchdemo';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '4');
const TARGET_RPS = Number(process.env.BENCH_TARGET_RPS ?? '50');
const FOLDER = join('.local', 'bench');
const ADMIN = 'admin-token';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as NodeJS.WriteStream;

/** A fresh stand-in in its own process: its clock and event loop are not shared with the engine or the loop. */
async function target(name: string): Promise<StandinProcess> {
  return startStandinProcess({
    FIBERCONNECT_DATA: join(FOLDER, `${name}.sqlite`),
    FIBERCONNECT_TOKENS: `${CUSTOMER}:${TOKEN},${DEMO}:${DEMO_TOKEN}`,
    FIBERCONNECT_ADMIN_TOKEN: ADMIN,
    FIBERCONNECT_JOB_DELAY_MS: '200',
    FIBERCONNECT_RATE: '0',
  });
}

type LoggedRequest = { ts: number; method: string; path: string; durationMs: number };

async function requestLog(standin: StandinProcess, since = 0, customer = CUSTOMER): Promise<LoggedRequest[]> {
  const response = await fetch(`${standin.url}/admin/requests?customer=${customer}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await response.json()) as { items: LoggedRequest[] }).items.filter((r) => r.ts >= since);
}

/** The target collection a request worked on, as the timeline names it. */
function targetLineOf(request: LoggedRequest): string {
  if (/^\/v1\/work-orders\/[^/]+\/documents\//.test(request.path)) return 'documents';
  if (request.method === 'PATCH' && request.path.startsWith('/v1/work-orders/')) return 'work-order-updates';
  return `${request.path.split('?')[0]!.split('/')[2] ?? request.path}${request.method === 'GET' ? ' (reads)' : ''}`;
}

/** Records the engine sent to the target in a run: every outcome that was not already there. */
function recordsOf(outcome: MigrationOutcome): number {
  return Object.values(outcome.report?.entities ?? {}).reduce((sum, e) => sum + e.source - e.alreadyMigrated, 0);
}

/**
 * One engine run from the CLI's entry to its summary, with its timeline:
 * flows, invocations, queue time and DynamoDB from the runtime, and the
 * target's side from the stand-in's request log.
 */
async function engineRun(
  standin: StandinProcess,
  dataDir: string,
  targetRps: number,
  customer = CUSTOMER,
): Promise<{ seconds: number; outcome: MigrationOutcome; timeline: TimelineSummary }> {
  const timeline = new RunTimeline();
  const started = Date.now();
  timeline.begin(started);
  const outcome = await migrateLocally(
    {
      customer,
      legacyDbUrl: LEGACY_DB_URL,
      targetUrl: standin.url,
      targetToken: customer === DEMO ? DEMO_TOKEN : TOKEN,
      overrides: { targetRps, sourceRps: 1000, consumers: CONCURRENCY, drainPollSeconds: 1, planboardPollSeconds: 1 },
    },
    { dataDir, basePort: 4866, reportsDir: join(dataDir, 'reports'), pollIntervalMs: 500, out: quiet, timeline },
  );
  const ended = Date.now();
  if (outcome.status !== 'SUCCEEDED') throw new Error(`engine run ${outcome.status}: ${outcome.error}`);
  for (const request of await requestLog(standin, started, customer))
    timeline.record('target', targetLineOf(request), request.ts, request.ts + request.durationMs);
  return { seconds: (ended - started) / 1000, outcome, timeline: timeline.summary(ended - started) };
}

function printTimeline(title: string, summary: TimelineSummary): void {
  console.log(`\ntimeline of the ${title}:`);
  for (const line of formatTimeline(summary)) console.log(`  ${line}`);
}

/**
 * The naive loop: per sub-project and collection, keyset SELECT pages and
 * POST each mapped row with keep-alive, CONCURRENCY at once; parents' ids
 * kept in memory; no ledger, no queue, no retries.
 */
async function naiveRun(standin: StandinProcess): Promise<{ seconds: number; records: number }> {
  const config = parseLegacyDbUrl(LEGACY_DB_URL);
  const registryPool = createLegacyPool(config);
  const http = new HttpPool(standin.url, { connections: CONCURRENCY });
  const started = Date.now();
  let records = 0;
  try {
    const subprojects = await new LegacyRegistry(registryPool).listSubprojects(CUSTOMER);
    for (const { database } of subprojects) {
      const pool = createLegacyPool(config, { database, connectionLimit: 2 });
      const ids = new Map<string, ParentOutcome>();
      for (const collection of COLLECTIONS) {
        const definition = definitionOf(collection) as unknown as CollectionDefinition;
        const ctx = {
          customer: CUSTOMER,
          database,
          statusMaps: StatusMaps.resolve({}, {}),
          timeZone: 'Europe/Amsterdam',
          options: { migrateCompletedProjects: true },
          parent: (c: Collection, id: number) => ids.get(`${c}#${id}`),
        };
        let after = 0;
        for (;;) {
          const [rows] = await pool.query<RowDataPacket[]>(definition.sourceQuery, [after, Number.MAX_SAFE_INTEGER, 500]);
          if (rows.length === 0) break;
          after = Number(rows[rows.length - 1]!.id);
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < rows.length) {
              const row = rows[next++]!;
              const mapped = definition.map(row as never, ctx);
              if (!mapped.ok) continue;
              const { method, path, body, headers } = mapped.body;
              const response = await http.request({
                method,
                path,
                headers: { authorization: `Bearer ${TOKEN}`, ...headers, ...(Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }) },
                body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
              });
              const answer = (await response.body.json().catch(() => ({}))) as { id?: string };
              records += 1;
              if (answer.id) ids.set(`${collection}#${row.id}`, { state: 'migrated', targetId: answer.id });
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY }, worker));
          // Planboard slots wait for the target's jobs like the engine does.
          if (collection === 'documents') await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
      await pool.end();
    }
  } finally {
    await registryPool.end();
    await http.close();
  }
  return { seconds: (Date.now() - started) / 1000, records };
}

/** The parts of the bench to run (BENCH_PARTS): the speed comparison, the demo-sized re-run, the rate check. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'speed,demo,rate').split(',').map((part) => part.trim()));
for (const part of PARTS) if (!['speed', 'demo', 'rate'].includes(part)) throw new Error(`BENCH_PARTS: unknown part "${part}" (known: speed, demo, rate)`);

/** 1 and 3: the engine against the naive loop on the bench customer, and the re-run of the migrated dataset. */
async function speed(stamp: number): Promise<BenchSpeed> {
  const engineTarget = await target(`engine-${stamp}`);
  const first = await engineRun(engineTarget, join(FOLDER, `runtime-${stamp}`), 10_000);
  const engineRecords = recordsOf(first.outcome);
  const rerun = await engineRun(engineTarget, join(FOLDER, `runtime-${stamp}`), 10_000);
  await engineTarget.stop();
  console.log(`engine: ${engineRecords} records in ${first.seconds.toFixed(1)} s; re-run ${rerun.seconds.toFixed(1)} s`);
  printTimeline('first run', first.timeline);
  printTimeline('re-run', rerun.timeline);

  const naiveTarget = await target(`naive-${stamp}`);
  const naive = await naiveRun(naiveTarget);
  await naiveTarget.stop();
  console.log(`naive loop: ${naive.records} records in ${naive.seconds.toFixed(1)} s`);
  const engineRps = engineRecords / first.seconds;
  const naiveRps = naive.records / naive.seconds;
  console.log(
    `engine vs naive loop (records/s):     ${engineRps.toFixed(1)} / ${naiveRps.toFixed(1)} = ${(engineRps / naiveRps).toFixed(2)} (goal at least ${BENCH_GOALS.engineVsNaive})`,
  );
  console.log(
    `re-run vs first run (wall time):      ${rerun.seconds.toFixed(1)} s / ${first.seconds.toFixed(1)} s = ${(rerun.seconds / first.seconds).toFixed(2)} (goal at most ${BENCH_GOALS.rerunVsFirst.toFixed(2)})`,
  );
  return {
    engine: { records: engineRecords, seconds: first.seconds, recordsPerSecond: engineRps },
    naive: { records: naive.records, seconds: naive.seconds, recordsPerSecond: naiveRps },
    engineVsNaive: engineRps / naiveRps,
    rerun: { firstSeconds: first.seconds, rerunSeconds: rerun.seconds, rerunVsFirst: rerun.seconds / first.seconds },
    timelines: { first: first.timeline, rerun: rerun.timeline },
  };
}

/** 5: a demo-sized re-run with nothing to do, at the demo's own rate. */
async function demo(stamp: number): Promise<BenchDemo> {
  const demoTarget = await target(`demo-${stamp}`);
  await engineRun(demoTarget, join(FOLDER, `runtime-demo-${stamp}`), TARGET_RPS, DEMO);
  const demoRerun = await engineRun(demoTarget, join(FOLDER, `runtime-demo-${stamp}`), TARGET_RPS, DEMO);
  await demoTarget.stop();
  printTimeline('demo re-run', demoRerun.timeline);
  console.log(`demo re-run, nothing changed (wall time):   ${demoRerun.seconds.toFixed(1)} s (goal at most ${BENCH_GOALS.demoRerunSeconds} s)`);
  return { demoRerun: { seconds: demoRerun.seconds, goalSeconds: BENCH_GOALS.demoRerunSeconds, timeline: demoRerun.timeline } };
}

/** 2: rate accuracy on a fresh run of the demo-sized customer at TARGET_RPS (at SCALE=10 the bench customer would take half an hour at 50/s). */
async function rate(stamp: number): Promise<BenchRate> {
  const rateTarget = await target(`rate-${stamp}`);
  const rated = await engineRun(rateTarget, join(FOLDER, `runtime-rate-${stamp}`), TARGET_RPS, DEMO);
  const log = await requestLog(rateTarget, 0, DEMO);
  await rateTarget.stop();
  const writes = log.filter((r) => r.method !== 'GET');
  const span = (Math.max(...writes.map((r) => r.ts)) - Math.min(...writes.map((r) => r.ts))) / 1000;
  // The achieved rate while requests flowed: the busiest 10% of seconds, averaged, against the configured rate.
  const perSecond = new Map<number, number>();
  for (const r of log) perSecond.set(Math.floor(r.ts / 1000), (perSecond.get(Math.floor(r.ts / 1000)) ?? 0) + 1);
  const busy = [...perSecond.values()].sort((a, b) => b - a);
  const top = busy.slice(0, Math.max(1, Math.floor(busy.length / 10)));
  const achieved = top.reduce((a, b) => a + b, 0) / top.length;
  const busiest = busiestSecond(log.map((r) => r.ts));
  console.log(
    `achieved vs configured target rate:   ${achieved.toFixed(1)} / ${TARGET_RPS} = ${(achieved / TARGET_RPS).toFixed(3)} (goal at least ${BENCH_GOALS.achievedVsConfigured})`,
  );
  console.log(`largest count in any one-second window: ${busiest} (configured ${TARGET_RPS}; goal never above)`);
  return {
    rate: {
      configured: TARGET_RPS,
      requests: log.length,
      writeSpanSeconds: span,
      achievedInBusySeconds: achieved,
      achievedVsConfigured: achieved / TARGET_RPS,
      busiestOneSecondWindow: busiest,
      runSeconds: rated.seconds,
    },
  };
}

async function main(): Promise<void> {
  mkdirSync(FOLDER, { recursive: true });
  const config = parseLegacyDbUrl(LEGACY_DB_URL);
  const pool = createLegacyPool(config, { connectionLimit: 3 });
  let rows = 0;
  if (PARTS.has('speed')) {
    const { counts } = await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER, SEED: '11', SCALE, DIRT: '0' }));
    rows = Object.values(counts).reduce((sum, tables) => sum + Object.values(tables).reduce((a, b) => a + b, 0), 0);
  }
  if (PARTS.has('demo') || PARTS.has('rate')) await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: DEMO, SEED: '11', SCALE: '1', DIRT: '0' }));
  await pool.end();
  console.log(
    `bench: ${[...PARTS].join(', ')}; customer ${CUSTOMER}, SCALE=${SCALE}${PARTS.has('speed') ? `, ${rows} rows seeded (clean data)` : ''}, concurrency ${CONCURRENCY}`,
  );

  const stamp = Date.now();
  const setting = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    scale: SCALE,
    rows,
    concurrency: CONCURRENCY,
  };
  const speedPart = PARTS.has('speed') ? await speed(stamp) : undefined;
  const demoPart = PARTS.has('demo') ? await demo(stamp) : undefined;
  const ratePart = PARTS.has('rate') ? await rate(stamp) : undefined;
  const result: BenchResult = { ...setting, ...speedPart, ...demoPart, ...ratePart };
  const file = join(FOLDER, PARTS.size === 3 ? 'result.json' : `result-${[...PARTS].join('-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`machine: ${setting.machine.cpus} cores, ${setting.machine.memoryGiB} GiB, ${setting.machine.model}; written to ${file}`);
  // Only a run of every part replaces the figures: a run of one part would drop the others' from the one copy of them.
  if (speedPart && demoPart && ratePart) {
    writeFileSync(BENCH_RESULTS_MARKDOWN, renderBenchResults({ ...setting, ...speedPart, ...demoPart, ...ratePart }, new Date(stamp)));
    console.log(`figures and goals written to ${BENCH_RESULTS_MARKDOWN}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
