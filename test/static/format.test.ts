import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const ROOT = resolve(import.meta.dirname, '../..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

/** `biome format` (check mode, as `make lint` runs it) of one file in a folder with the project's formatter settings. */
function formatCheck(source: string): { status: number | null; output: string } {
  const folder = mkdtempSync(join(tmpdir(), 'format-'));
  try {
    const settings = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
    // The same formatter settings, outside a git checkout and without the project's schema path.
    const { vcs: _vcs, $schema: _schema, ...rest } = settings;
    writeFileSync(join(folder, 'biome.json'), JSON.stringify(rest));
    writeFileSync(join(folder, 'file.ts'), source);
    const run = spawnSync(BIOME, ['format', 'file.ts'], { cwd: folder, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('the formatter (make lint runs biome format in check mode)', function () {
  this.timeout(60_000);

  it('fails on a badly formatted file, naming it', () => {
    const { status, output } = formatCheck('const  answer =  {a:1,b:"two"}\n');
    expect(status).to.not.equal(0);
    expect(output).to.include('file.ts');
  });

  it('passes a file formatted as the project formats', () => {
    expect(formatCheck("const answer = { a: 1, b: 'two' };\n").status).to.equal(0);
  });

  it('is part of make lint', () => {
    const lint = /^lint: install\n((?:\t.*\n)+)/m.exec(readFileSync(join(ROOT, 'Makefile'), 'utf8'))?.[1] ?? '';
    expect(lint).to.include('\tbiome format .\n');
  });
});
