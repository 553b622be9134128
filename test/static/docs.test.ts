import { expect } from 'chai';
import { checkNoOutsideSpecifications, checkRelativeLinks, headingAnchors, isCheckedDoc, readFiles, repositoryFiles } from '../../tooling/static/docs.ts';

/** A specification name as a clone would see it, assembled so that this file does not contain it. */
const outside = (name: string): string => `${name}.md`;
const runtimeNotes = ['RUNTIME', 'NOTES'].join('-');

describe('the docs stand alone (a clone has everything they point to)', () => {
  let files: string[];

  before(() => {
    files = repositoryFiles();
  });

  it('no tracked or new file names a specification that lives outside the repository', () => {
    expect(files).to.include.members(['README.md', 'docs/fiberconnect-api.md', 'test/static/docs.test.ts']);
    expect(checkNoOutsideSpecifications(readFiles(files))).to.deep.equal([]);
  });

  it('fails on each outside specification, naming the file and line, and not on words that merely start alike', () => {
    const texts = {
      'src/a.ts': `// the error body (${outside('CONTRACT')} 2.1)\nexport const CONTRACTOR_NAMES = [];\n`,
      'docs/b.md': `line one\nsee ${outside('DESIGN')}, "configure"\n`,
      'tooling/c.ts': `/* ${runtimeNotes}, MariaDB */\n`,
    };
    expect(checkNoOutsideSpecifications(texts)).to.deep.equal([
      `src/a.ts:1 names ${outside('CONTRACT')}, which a clone does not have: point to the repository's own doc instead`,
      `docs/b.md:2 names ${outside('DESIGN')}, which a clone does not have: point to the repository's own doc instead`,
      `tooling/c.ts:1 names ${runtimeNotes}, which a clone does not have: point to the repository's own doc instead`,
    ]);
  });

  it('every relative link of README.md and docs/*.md reaches an existing file and heading', () => {
    const docs = files.filter(isCheckedDoc);
    expect(docs).to.include.members(['README.md', 'docs/deploy.md', 'docs/report.md', 'docs/local-runtime.md', 'docs/legacy-schema.md']);
    expect(checkRelativeLinks(readFiles(docs))).to.deep.equal([]);
  });

  it('fails on a link to a missing file, a missing heading, or out of the repository; ignores URLs and code', () => {
    const docs = {
      'docs/a.md': [
        '# Title',
        '## 3. Read the report',
        'See [b](b.md), [gone](gone.md), [up](../../etc/passwd), [here](#3-read-the-report), [nowhere](#nowhere).',
        'And [b](b.md#the-part), [b](b.md#no-part), [web](https://example.com/x.md), [mail](mailto:ops@example.com).',
        'Code is no link: `[x](missing.md)`',
        '```',
        '[y](missing-too.md)',
        '```',
      ].join('\n'),
      'README.md': 'Docs: [a](docs/a.md) and [terraform](terraform/README.md) and [folder](terraform/).',
    };
    const existing = new Set(['docs/a.md', 'docs/b.md', 'terraform/README.md', 'terraform']);
    const texts: Record<string, string> = { 'docs/b.md': '# B\n\n## The part\n' };
    expect(
      checkRelativeLinks(
        docs,
        (path) => existing.has(path),
        (path) => texts[path] ?? docs[path as keyof typeof docs],
      ),
    ).to.deep.equal([
      'docs/a.md: link gone.md points to docs/gone.md, which does not exist',
      'docs/a.md: link ../../etc/passwd leaves the repository',
      'docs/a.md: link #nowhere names #nowhere, which is no heading of docs/a.md',
      'docs/a.md: link b.md#no-part names #no-part, which is no heading of docs/b.md',
    ]);
  });

  it('makes heading anchors as GitHub does', () => {
    const anchors = headingAnchors(
      '# The registry: `fiberplan_registry`\n## report.json\n## Versions, changes and removal\n## Notes\n## Notes\n```\n# not a heading\n```\n',
    );
    expect([...anchors]).to.deep.equal(['the-registry-fiberplan_registry', 'reportjson', 'versions-changes-and-removal', 'notes', 'notes-1']);
  });
});
