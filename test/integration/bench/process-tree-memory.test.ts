import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { processTree, ProcessTreeMemory } from '../../../tooling/bench/process-tree-memory.ts';

describe('memory of a process tree (make bench-scale)', () => {
  it("finds a child and its grandchild under the root, and sums their resident memory with the root's", async () => {
    // A shell whose own child sleeps: two levels below this process.
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const tree = processTree([process.pid]);
      expect(tree).to.include(child.pid);
      expect(tree.length).to.be.at.least(3);
      const memory = new ProcessTreeMemory(() => [process.pid]);
      const all = memory.sample();
      const alone = new ProcessTreeMemory(() => [child.pid!]).sample();
      expect(all).to.be.above(process.memoryUsage().rss * 0.9);
      expect(alone).to.be.above(0).and.below(all);
      expect(memory.stop()).to.deep.include({ peakBytes: all, samples: 1 });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
