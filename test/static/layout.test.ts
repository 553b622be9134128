import { expect } from 'chai';
import { cyclesOf, deepImports, engineImportsOfTooling, filesWithoutFace, folderGraph, foldersWithFace, importGraph } from '../../tooling/static/layout.ts';

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

  describe("src/'s folders, each seen from outside through its face (index.ts)", () => {
    let folders: string[];
    before(() => {
      folders = foldersWithFace();
    });

    it('has no cycle between the folders of src/ (a folder with a face counts as one node, type imports included)', async () => {
      expect(folders, 'folders with a face').to.include.members(['domain', 'domain/collections', 'ledger', 'target/client']);
      expect(await cyclesOf(folderGraph(graph, folders))).to.deep.equal([]);
    });

    it('finds a planted folder cycle (the check can fail)', async () => {
      const planted = { ...graph, 'src/ledger/ledger.ts': [...graph['src/ledger/ledger.ts']!, 'src/rollback/index.ts'] };
      expect(await cyclesOf(folderGraph(planted, folders))).to.deep.include.members([['ledger', 'rollback']]);
    });

    it('puts every TypeScript file of src/ directly in a folder with a face, where the lint sees it', () => {
      expect(filesWithoutFace(graph, folders)).to.deep.equal([]);
      expect(filesWithoutFace({ 'src/loose.ts': [], 'src/ledger/keys.ts': [] }, folders), 'the check can fail').to.deep.equal(['src/loose.ts']);
    });

    it('imports another folder only through its face, from src/, functions/, tooling/ and scripts/ (import() too; tests may reach internals)', () => {
      expect(deepImports(graph, folders)).to.deep.equal([]);
    });

    it('names a deep import (the check can fail)', () => {
      const planted = {
        'functions/report/index.ts': ['src/ledger/report-writer.ts', 'src/handler/index.ts'],
        'src/handler/engine.ts': ['src/target/client/client-cache.ts', 'src/handler/logger.ts'],
        'test/unit/ledger/keys.test.ts': ['src/ledger/keys.ts'],
      };
      expect(deepImports(planted, folders)).to.deep.equal([
        'functions/report/index.ts → src/ledger/report-writer.ts',
        'src/handler/engine.ts → src/target/client/client-cache.ts',
      ]);
    });
  });

  it('names an engine import of tooling (the check can fail)', () => {
    expect(engineImportsOfTooling({ 'src/ledger/ledger.ts': ['tooling/local/runtime.ts', 'src/domain/types.ts'] })).to.deep.equal([
      'src/ledger/ledger.ts → tooling/local/runtime.ts',
    ]);
  });
});
