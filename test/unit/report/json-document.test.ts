import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JsonArrayFile } from '../../../src/report/json-array-file.ts';
import { jsonPieces, oneMemberPerLine } from '../../../src/report/json-document.ts';

describe("a report's JSON document in pieces (src/report/json-document.ts)", () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'json-document-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('writes plain JSON as JSON.stringify does, in one piece: nested objects, arrays, null, escapes, left-out members', () => {
    const document = {
      customer: 'a"b\\c\n🚧',
      options: { targetRps: 5, nested: { list: [1, 'two', null, { three: 3 }], left: undefined } },
      when: new Date('2026-01-01T00:00:00.000Z'),
      none: null,
      gone: undefined,
      empty: {},
    };
    expect([...jsonPieces(document)]).to.deep.equal([JSON.stringify(document)]);
  });

  it('writes an object marked one member per line with each member on a line of its own, the rest compact', () => {
    const document = { customer: 'acme', entities: oneMemberPerLine({ projects: { source: 1 }, connections: { source: 2 } }), ok: true };
    const text = [...jsonPieces(document)].join('');
    expect(text).to.equal('{"customer":"acme","entities":{\n"projects":{"source":1},\n"connections":{"source":2}\n},"ok":true}');
    expect(JSON.parse(text)).to.deep.equal({ customer: 'acme', entities: { projects: { source: 1 }, connections: { source: 2 } }, ok: true });
  });

  it('hands each streamed array over as a piece of its own, wherever it sits, and never its items: the text between arrays is one piece', async () => {
    const first = new JsonArrayFile(join(folder, 'first.json'));
    const second = new JsonArrayFile(join(folder, 'second.json'));
    await first.add({ secret: 'item' });
    const pieces = [...jsonPieces({ a: 1, entities: oneMemberPerLine({ p: { first, after: 2 } }), second, z: 'end' })];
    expect(pieces).to.deep.equal(['{"a":1,"entities":{\n"p":{"first":', first, ',"after":2}\n},"second":', second, ',"z":"end"}']);
    expect(pieces.filter((piece) => typeof piece === 'string').join('')).not.to.include('secret');
    await first.close();
    await second.close();
  });
});
