import { expect } from 'chai';
import { formatTimeline, RunTimeline } from '../../../tooling/local/timeline.ts';

describe('run timeline (make bench)', () => {
  it('counts overlapping spans once in the busy time and fully in the total', () => {
    const timeline = new RunTimeline();
    timeline.begin(1_000);
    timeline.record('lambda', 'consumer', 1_000, 2_000);
    timeline.record('lambda', 'consumer', 1_500, 2_500);
    const [line] = timeline.summary().lines;
    expect(line).to.deep.include({ part: 'lambda', name: 'consumer', count: 2, totalMs: 2_000, busyMs: 1_500, firstMs: 0, lastMs: 1_500 });
  });

  it('keeps the parts apart and gives each its own busy time, lines in order of their first start', () => {
    const timeline = new RunTimeline();
    timeline.begin(0);
    timeline.record('target', 'projects', 3_000, 4_000);
    timeline.record('dynamodb', 'BatchGetItem', 500, 600);
    timeline.record('dynamodb', 'UpdateItem', 550, 700);
    const summary = timeline.summary(5_000);
    expect(summary.lines.map((l) => `${l.part} ${l.name}`)).to.deep.equal(['dynamodb BatchGetItem', 'dynamodb UpdateItem', 'target projects']);
    expect(summary.parts).to.include({ dynamodb: 200, target: 1_000, lambda: 0 });
    expect(summary.wallMs).to.equal(5_000);
  });

  it('clips spans that began before the run and ignores spans before it was begun', () => {
    const timeline = new RunTimeline();
    timeline.record('queue', 'q', 0, 10);
    timeline.begin(1_000);
    timeline.record('queue', 'q', 500, 1_200);
    expect(timeline.summary().lines).to.have.length(1);
    expect(timeline.summary().lines[0]).to.deep.include({ count: 1, totalMs: 200, firstMs: 0 });
  });

  it('prints the busy share of every part first, then one line per kind of work', () => {
    const timeline = new RunTimeline();
    timeline.begin(0);
    timeline.record('flow', 'ResourceFlow projects', 0, 2_000);
    const lines = formatTimeline(timeline.summary(4_000));
    expect(lines[0]).to.contain('wall 4.0 s').and.contain('flow 2.0 s (50%)');
    expect(lines[2]).to.match(/^flow\s+ResourceFlow projects\s+1\s+0\.0 s\s+2\.0 s/);
  });
});
