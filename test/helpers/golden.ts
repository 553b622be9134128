import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';

/** Where the golden files of the report writers live. */
const GOLDEN_FOLDER = join(import.meta.dirname, '..', 'fixtures', 'golden-reports');

/** A file a report writer stored, in the order it stored them. */
export interface StoredFile {
  key: string;
  contentType: string;
  body: Buffer;
}

/** A bucket for golden tests: keeps every stored file's bytes in the order they came. */
export class GoldenStore {
  public readonly files: StoredFile[] = [];

  public async putFile(key: string, path: string, contentType: string): Promise<string> {
    this.files.push({ key, contentType, body: readFileSync(path) });
    return key;
  }
}

/**
 * Compares what a writer stored with the golden files under
 * test/fixtures/golden-reports/<name>/, byte for byte: one file per stored file
 * (named after the key's last part, `.golden` added so no formatter touches
 * it) and `stored.golden`, the keys and content types in the order they were
 * stored. `WRITE_GOLDEN=1` writes the files instead, for a change of output
 * that is meant (read the diff before committing it).
 */
export function expectGolden(name: string, files: readonly StoredFile[]): void {
  const expected = [
    { file: 'stored.golden', body: Buffer.from(files.map((f) => `${f.key} ${f.contentType}\n`).join('')) },
    ...files.map((f) => ({ file: `${f.key.split('/').pop()}.golden`, body: f.body })),
  ];
  for (const { file, body } of expected) {
    const path = join(GOLDEN_FOLDER, name, file);
    if (process.env.WRITE_GOLDEN === '1') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
    }
    expect(body.toString('utf8'), `${name}/${file}`).to.equal(readFileSync(path, 'utf8'));
    expect(body.equals(readFileSync(path)), `${name}/${file} byte for byte`).to.equal(true);
  }
}
