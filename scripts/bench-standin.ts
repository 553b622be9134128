// Measures creates per second of the FiberConnect stand-in: a server in its own process
// (rate limit and faults off, a WAL file in a temp dir), POST /v1/projects from an undici
// keep-alive Pool. Usage: tsx scripts/bench-standin.ts [requests=5000] [concurrency=32]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startStandinProcess } from '../tooling/standin/process.ts';

const total = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 32);
const warmup = 500;
const dataDir = mkdtempSync(join(tmpdir(), 'standin-bench-'));

const server = await startStandinProcess({
  FIBERCONNECT_DATA: join(dataDir, 'bench.sqlite'),
  FIBERCONNECT_RATE: '0',
  FIBERCONNECT_ERROR_RATE: '0',
  FIBERCONNECT_DROP_RATE: '0',
  FIBERCONNECT_FORCE_429: '0',
  FIBERCONNECT_LATENCY_MS: '0',
});

try {
  const { url } = server;
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });

  /** Sends `count` creates with `concurrency` in flight; returns each one's latency in ms. */
  const run = async (prefix: string, count: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        const response = await pool.request({
          method: 'POST',
          path: '/v1/projects',
          headers: {
            authorization: 'Bearer demo-token',
            'content-type': 'application/json',
            'idempotency-key': `${prefix}-${i}`,
          },
          body: JSON.stringify({ externalRef: `${prefix}:projects:${i}`, code: `P${i}`, name: `Project ${i}`, status: 'PLANNED' }),
        });
        await response.body.dump();
        if (response.statusCode !== 201) throw new Error(`unexpected status ${response.statusCode}`);
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return latencies;
  };

  await run('warmup', warmup);
  const started = performance.now();
  const latencies = await run('bench', total);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => (latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(1);
  console.log(
    `${total} creates, concurrency ${concurrency}: ${(total / seconds).toFixed(0)} creates/s ` +
      `(${seconds.toFixed(2)} s; latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms)`,
  );
  await pool.close();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
