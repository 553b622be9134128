import { expect } from 'chai';
import { cyclesOf, engineImportsOfTooling, importGraph } from '../../tooling/static/layout.ts';

describe('layout: what ships and what does not', function () {
  this.timeout(60_000);
  let graph: Record<string, string[]>;
  before(async () => {
    graph = await importGraph();
  });

  it('has no module cycle anywhere in the project', async () => {
    expect(Object.keys(graph).length, 'modules found').to.be.greaterThan(100);
    expect(await cyclesOf(graph)).to.deep.equal([]);
  });

  it('finds a planted cycle (the check can fail)', async () => {
    expect(await cyclesOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'] })).to.deep.equal([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('never imports tooling, scripts or tests from the engine (src/, functions/)', () => {
    expect(graph['functions/consumer/index.ts'], 'handlers are in the graph').to.be.an('array').with.length.greaterThan(0);
    expect(engineImportsOfTooling(graph)).to.deep.equal([]);
  });

  it('names an engine import of tooling (the check can fail)', () => {
    expect(engineImportsOfTooling({ 'src/ledger/ledger.ts': ['tooling/local/runtime.ts', 'src/domain/types.ts'] })).to.deep.equal([
      'src/ledger/ledger.ts → tooling/local/runtime.ts',
    ]);
  });
});
