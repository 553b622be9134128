import { expect } from 'chai';
import type { CollectionProgress } from '../../../src/ledger/types.ts';
import { ProgressView } from '../../../tooling/cli/progress.ts';

/** A non-terminal output (CI, a log file) that keeps what was written. */
function plainOutput(): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const progress = (source: number, migrated: number): CollectionProgress => ({
  source,
  migrated,
  updated: 0,
  unchanged: 0,
  alreadyMigrated: 0,
  queued: 0,
  failed: 0,
  skipped: 0,
});

describe('the live progress without a terminal', () => {
  it('prints the overall line first, over the planned records of collections the run has not reached yet', () => {
    const { stream, writes } = plainOutput();
    const view = new ProgressView(stream, { clock: () => 0, planned: { projects: 10, connections: 90 } });
    view.update({ status: 'RUNNING', collections: { projects: progress(10, 4) } });
    expect(writes).to.have.length(1);
    const lines = writes[0]!.split('\n');
    expect(lines[0]).to.equal('[1970-01-01T00:00:00.000Z] RUNNING');
    expect(lines[1]).to.match(/^all 4\/100 0\.0\/s ETA -- \(1 of 2 collections started\)$/);
    expect(lines[2]).to.match(/^projects 4\/10 /);
  });

  it('counts a collection to its planned records while its producers read (their figure grows a page at a time), then to their exact figure once a collection that points at it has started', () => {
    const { stream, writes } = plainOutput();
    let now = 0;
    const view = new ProgressView(stream, { clock: () => now, lineIntervalMs: 0, planned: { projects: 1_000, connections: 5_000 } });
    view.update({ status: 'RUNNING', collections: { projects: progress(200, 150) } });
    expect(writes.at(-1)!.split('\n').slice(1, 3)).to.deep.equal([
      'all 150/6,000 0.0/s ETA -- (1 of 2 collections started)',
      'projects 150/1,000 0.0/s ETA -- (migrated 150, updated 0, already 0, skipped 0, failed 0)',
    ]);
    now = 1_000;
    // Two projects were deleted in FiberPlan after the count: 998 is what there is to do.
    view.update({ status: 'RUNNING', collections: { projects: progress(998, 998), connections: progress(100, 0) } });
    const [overall, projects, connections] = writes.at(-1)!.split('\n').slice(1, 4);
    expect(overall).to.match(/^all 998\/5,998 /);
    expect(projects).to.match(/^projects 998\/998 .* ETA done /);
    expect(connections).to.match(/^connections 0\/5,000 /);
  });

  it("counts a collection to its producers' figure once the run has ended, whatever was planned", () => {
    const { stream, writes } = plainOutput();
    const view = new ProgressView(stream, { clock: () => 0, planned: { documents: 20, 'planboard-slots': 50 } });
    view.update({ status: 'SUCCEEDED', collections: { 'planboard-slots': progress(48, 48) } });
    const [overall, slots] = writes.at(-1)!.split('\n').slice(1, 3);
    expect(overall, 'documents found none to do').to.match(/^all 48\/48 .* ETA done /);
    expect(slots).to.match(/^planboard-slots 48\/48 .* ETA done /);
  });

  it('says the work-order update pass is counted as its own, so the overall total is more than the records of the estimate', () => {
    const { stream, writes } = plainOutput();
    const view = new ProgressView(stream, { clock: () => 0, planned: { 'work-orders': 10, 'work-order-updates': 10 } });
    view.update({ status: 'RUNNING', collections: { 'work-orders': progress(10, 2) } });
    expect(writes.at(-1)!.split('\n')[1]).to.equal('all 2/20 0.0/s ETA -- (1 of 2 collections started, the work-order update pass counted as its own)');
  });

  it('prints at most every 30 s however often it is updated, with the rate and ETA of the overall line', () => {
    const { stream, writes } = plainOutput();
    let now = 1_000_000;
    const view = new ProgressView(stream, { clock: () => now });
    const at = (seconds: number, migrated: number) => {
      now = 1_000_000 + seconds * 1000;
      view.update({ status: 'RUNNING', collections: { projects: progress(1000, migrated) } });
    };
    at(0, 0);
    for (let second = 1; second < 30; second += 1) at(second, second * 10);
    expect(writes, 'one line in the first 30 s').to.have.length(1);
    at(30, 300);
    expect(writes).to.have.length(2);
    expect(writes[1]!.split('\n')[1]).to.match(/^all 300\/1,000 10\.0\/s ETA 1 min 10 s /);
    at(45, 450);
    expect(writes).to.have.length(2);
    at(60, 600);
    expect(writes).to.have.length(3);
  });

  it("shows no ETA once a stalled run's rate prints as 0.0/s, instead of an ETA of years", () => {
    const { stream, writes } = plainOutput();
    let now = 0;
    const view = new ProgressView(stream, { clock: () => now });
    for (const [seconds, migrated] of [[0, 0], [30, 300], ...Array.from({ length: 25 }, (_, i) => [60 + i * 30, 300])] as [number, number][]) {
      now = seconds * 1000;
      view.update({ status: 'RUNNING', collections: { projects: progress(1000, migrated) } });
    }
    const last = writes.at(-1)!.split('\n')[1]!;
    expect(last).to.match(/^all 300\/1,000 0\.0\/s ETA -- /);
    for (const write of writes) expect(write).to.not.match(/\d{6,} d|e\+/);
  });

  it('prints nothing new when nothing changed, even after 30 s', () => {
    const { stream, writes } = plainOutput();
    let now = 0;
    const view = new ProgressView(stream, { clock: () => now });
    view.update({ status: 'RUNNING', collections: { projects: progress(10, 10) } });
    now = 31_000;
    view.update({ status: 'RUNNING', collections: { projects: progress(10, 10) } });
    expect(writes).to.have.length(1);
  });
});

describe('the live progress on a terminal', () => {
  it('draws the overall bar above the bars of the collections', () => {
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 200, write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    const view = new ProgressView(stream, { clock: () => 0, planned: { connections: 90 } });
    view.update({ status: 'RUNNING', collections: { projects: progress(10, 4) } });
    view.stop();
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is stripped here
    const screen = writes.join('').replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    const overall = screen.lastIndexOf(' all ');
    expect(overall, screen).to.be.greaterThan(-1);
    expect(screen.indexOf(' projects ', overall), screen).to.be.greaterThan(overall);
    expect(screen).to.match(/ all {16}\[.*\] 4\/100 /);
  });
});
