import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { LambdaEndpoint } from '../../../tooling/local/lambda-endpoint.ts';
import { MemoryLog, memoryPeaks, type MemoryReading } from '../../../tooling/local/memory-log.ts';
import { fixtureBundle, tempDir } from './helpers.ts';

describe('MemoryLog: where the local runtime holds its memory, for make bench-scale', () => {
  let endpoint: LambdaEndpoint;
  let folder: string;

  before(async () => {
    folder = tempDir('memory-log');
    endpoint = new LambdaEndpoint({
      port: 0,
      functions: { echo: { bundlePath: fixtureBundle('echo'), concurrency: 2 }, idle: { bundlePath: fixtureBundle('echo') } },
    });
    await endpoint.start();
  });

  after(async () => {
    await endpoint.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("logs one JSON line per reading with the main thread's heap and each live function's instances and heap, and a last reading on stop", async () => {
    const path = join(folder, 'memory.jsonl');
    await Promise.all([endpoint.invoke('echo', {}), endpoint.invoke('echo', {})]);
    const log = new MemoryLog(path, endpoint, 50);
    await sleep(180);
    await log.stop();
    const readings = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MemoryReading);
    expect(readings.length).to.be.at.least(3);
    const last = readings.at(-1)!;
    expect(last.rssBytes).to.be.above(last.main.heapCommittedBytes);
    expect(last.main.heapCommittedBytes).to.be.at.least(last.main.heapUsedBytes);
    expect(last.main.heapUsedBytes).to.be.above(0);
    // Linux: the resident set split into private memory and mapped files.
    expect(last.rssAnonBytes! + last.rssFileBytes!).to.be.closeTo(last.rssBytes, last.rssBytes * 0.1);
    // Two invocations at once made two instances; the function never invoked has none and is left out.
    expect(Object.keys(last.functions)).to.deep.equal(['echo']);
    expect(last.functions.echo!.instances).to.equal(2);
    expect(last.functions.echo!.heapUsedBytes).to.be.above(0);
    expect(last.functions.echo!.heapCommittedBytes).to.be.at.least(last.functions.echo!.heapUsedBytes);
  });

  it('keeps the peak of each part over the log, and the function that held the most at the largest reading', async () => {
    const path = join(folder, 'peaks.jsonl');
    const mib = 2 ** 20;
    const usage = (heap: number, committed: number, external: number) => ({
      heapUsedBytes: heap * mib,
      heapCommittedBytes: committed * mib,
      externalBytes: external * mib,
    });
    const lines: MemoryReading[] = [
      { atMs: 0, rssBytes: 900 * mib, main: usage(300, 320, 10), functions: { consumer: { instances: 4, ...usage(200, 240, 20) } } },
      {
        atMs: 2000,
        rssBytes: 800 * mib,
        main: usage(350, 400, 5),
        functions: { consumer: { instances: 2, ...usage(100, 120, 0) }, producer: { instances: 3, ...usage(250, 260, 30) } },
      },
    ];
    writeLines(path, lines);
    expect(await memoryPeaks(path)).to.deep.equal({
      rssMiB: 900,
      rssAnonMiB: 0,
      rssFileMiB: 0,
      mainHeapMiB: 350,
      mainExternalMiB: 10,
      instancesHeapMiB: 350,
      instancesExternalMiB: 30,
      instances: 5,
      // 900 - (320 + 10) - (240 + 20) at the largest resident set.
      nativeAtPeakMiB: 310,
      largestFunction: { name: 'producer', instances: 3, heapMiB: 250 },
    });
  });
});

function writeLines(path: string, lines: readonly MemoryReading[]): void {
  rmSync(path, { force: true });
  for (const line of lines) appendFileSync(path, `${JSON.stringify(line)}\n`);
}
