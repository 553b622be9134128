import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { html } from '../../../src/report/html.ts';
import { oneMemberPerLine } from '../../../src/report/json-document.ts';
import { ReportFiles } from '../../../src/report/report-files.ts';

/** A bucket that keeps each stored file's text and content type, in the order they came. */
class Bucket {
  public readonly stored: { key: string; contentType: string; text: string }[] = [];

  public async putFile(key: string, path: string, contentType: string): Promise<string> {
    this.stored.push({ key, contentType, text: readFileSync(path, 'utf8') });
    return `stored/${key}`;
  }
}

const folders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('report-files-test-'));

describe('the files of a report (src/report/report-files.ts)', () => {
  it('streams the lists into the document between its fields, writes the page piece by piece, and stores the other files, the page, then the document', async () => {
    const bucket = new Bucket();
    const keys = await ReportFiles.write('report-files-test-', async (files) => {
      const kept = files.array('kept.json');
      const none = files.array('none.json');
      const missing = files.array('missing.json', '[\n]');
      for (const id of [1, 2, 3]) await kept.add({ id, note: `<${id}>` });
      const notes = files.path('notes.csv');
      await writeFile(notes, 'a,b\n');
      return files.store(bucket, {
        files: [{ key: 'r/notes.csv', path: notes, contentType: 'text/csv' }],
        html: { key: 'r/page.html', page: [html`<p>${kept.count} kept</p>\n`, html`<p>${'<end>'}</p>\n`] },
        json: {
          key: 'r/page.json',
          document: { customer: 'acme', entities: oneMemberPerLine({ projects: { kept, none }, contractors: { missing } }), done: true },
        },
      });
    });
    expect(keys).to.deep.equal(['stored/r/notes.csv']);
    expect(bucket.stored.map(({ key, contentType }) => [key, contentType])).to.deep.equal([
      ['r/notes.csv', 'text/csv'],
      ['r/page.html', 'text/html; charset=utf-8'],
      ['r/page.json', 'application/json'],
    ]);
    expect(bucket.stored[1]!.text).to.equal('<p>3 kept</p>\n<p>&lt;end&gt;</p>\n');
    const json = bucket.stored[2]!.text;
    expect(json).to.equal(
      '{"customer":"acme","entities":{\n"projects":{"kept":[\n{"id":1,"note":"<1>"},\n{"id":2,"note":"<2>"},\n{"id":3,"note":"<3>"}\n],"none":[\n\n]},\n"contractors":{"missing":[\n]}\n},"done":true}\n',
    );
    expect(JSON.parse(json).entities.projects.kept).to.have.length(3);
  });

  it('removes its folder when the report is stored, and when writing it failed midway with lists still open', async () => {
    let folder = '';
    await ReportFiles.write('report-files-test-', async (files) => {
      folder = files.path('');
      await files.array('a.json').add(1);
    });
    expect(existsSync(folder), 'after a report').to.equal(false);
    const failed = ReportFiles.write('report-files-test-', async (files) => {
      folder = files.path('');
      await files.array('b.json').add(1);
      throw new Error('ledger unavailable');
    });
    expect(
      await failed.then(
        () => 'stored',
        (error: Error) => error.message,
      ),
    ).to.equal('ledger unavailable');
    expect(existsSync(folder), 'after a failure').to.equal(false);
    expect(folders()).to.deep.equal([]);
  });
});
