import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Html } from './html.ts';
import { JsonArrayFile } from './json-array-file.ts';
import { jsonPieces } from './json-document.ts';
import type { EmptyArray, ReportOutput, ReportStore } from './types.ts';
import { close, put } from './write-stream.ts';

/**
 * The files of one report while it is written, in a folder of its own on
 * local disk: the lists stream into files as the records pass (only counts
 * and samples stay in memory), then the JSON document is written with the
 * lists copied in, and the HTML page piece by piece; then everything goes to
 * the bucket, the document last. The run, verify and rollback reports are
 * each written so; what differs is what they read and what they say.
 */
export class ReportFiles {
  readonly #arrays: JsonArrayFile[] = [];

  private constructor(private readonly folder: string) {}

  /**
   * Runs `build` with the files of a report in a new folder (under the
   * system's temporary folder, named from `prefix`), and removes the folder
   * when `build` ends, whatever happened.
   *
   * @example
   * const { count } = await ReportFiles.write('rollback-report-', async (files) => {
   *   const kept = files.array('kept.json');
   *   for await (const outcome of outcomes) if (outcome.result === 'kept') await kept.add(outcome);
   *   await files.store(bucket, {
   *     html: { key: 'reports/acme/rb-1/rollback.html', page: [html`<p>${kept.count} kept</p>`] },
   *     json: { key: 'reports/acme/rb-1/rollback.json', document: { customer: 'acme', entities: oneMemberPerLine({ projects: { kept } }) } },
   *   });
   *   return kept;
   * });
   * // rollback.json: {"customer":"acme","entities":{\n"projects":{"kept":[\n{…},\n{…}\n]}\n}}\n
   */
  public static async write<T>(prefix: string, build: (files: ReportFiles) => Promise<T>): Promise<T> {
    const files = new ReportFiles(await mkdtemp(join(tmpdir(), prefix)));
    try {
      return await build(files);
    } finally {
      // A build that failed midway leaves lists open: their streams end before their folder goes.
      await Promise.allSettled(files.#arrays.map((array) => array.close()));
      await rm(files.folder, { recursive: true, force: true });
    }
  }

  /** A JSON array streamed to a file of the folder: add the items as they pass, put the array in the document. */
  public array(name: string, empty?: EmptyArray): JsonArrayFile {
    const array = new JsonArrayFile(this.path(name), empty);
    this.#arrays.push(array);
    return array;
  }

  /** Where a file of the report's own (a fix list) goes in the folder. */
  public path(name: string): string {
    return join(this.folder, name);
  }

  /**
   * Writes the page and the document to the folder (each under its key's
   * last part, closing every list first), then stores the other
   * files, the page, and the document last: whoever finds the document finds
   * the rest. Returns the keys the store gave the other files.
   */
  public async store(store: ReportStore, output: ReportOutput): Promise<string[]> {
    const jsonPath = this.path(output.json.key.split('/').pop()!);
    const htmlPath = this.path(output.html.key.split('/').pop()!);
    await this.writeJson(jsonPath, output.json.document);
    await this.writeHtml(htmlPath, output.html.page);
    const keys: string[] = [];
    for (const file of output.files ?? []) keys.push(await store.putFile(file.key, file.path, file.contentType));
    await store.putFile(output.html.key, htmlPath, 'text/html; charset=utf-8');
    await store.putFile(output.json.key, jsonPath, 'application/json');
    return keys;
  }

  /** The document, its streamed arrays copied in from their files; a line break ends the file. */
  private async writeJson(path: string, document: Readonly<Record<string, unknown>>): Promise<void> {
    for (const array of this.#arrays) await array.close();
    const out = createWriteStream(path);
    for (const piece of jsonPieces(document)) await (typeof piece === 'string' ? put(out, piece) : piece.writeTo(out));
    await put(out, '\n');
    await close(out);
  }

  private async writeHtml(path: string, page: Iterable<Html>): Promise<void> {
    const out = createWriteStream(path);
    for (const piece of page) await put(out, piece.text);
    await close(out);
  }
}
