import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stringify, type Stringifier } from 'csv-stringify';
import type { Collection } from '../domain/index.ts';
import { put } from '../report/index.ts';
import { FIX_LIST_COLUMNS } from './constants.ts';
import { fixListFile } from './report-location.ts';
import { originOf, type ReportFailure } from './report.ts';

/** A sub-project's fix list being written: CSV rows into a file. */
interface OpenFixList {
  csv: Stringifier;
  file: WriteStream;
  path: string;
  records: number;
}

/** A sub-project's finished fix list: where it is on disk, and where report.html links to it. */
export interface FixList {
  database: string;
  /** Relative to the report's folder (`fixlists/<database>.csv`). */
  file: string;
  records: number;
  path: string;
}

/**
 * The fix lists of a run being written: one CSV per sub-project, a row
 * appended for each failed or skipped record as it passes, so no list is
 * ever held in memory.
 */
export class FixLists {
  readonly #open = new Map<string, OpenFixList>();

  /** `pathOf` says where a list's file goes (the report's folder). */
  public constructor(private readonly pathOf: (name: string) => string) {}

  /** Appends a failure to its sub-project's list, starting the list with its header at the first one. */
  public async add(collection: Collection, failure: ReportFailure): Promise<void> {
    const origin = originOf(failure.externalRef);
    const list = this.#open.get(origin.database) ?? this.start(origin.database);
    list.records += 1;
    await put(list.csv, {
      sub_project: origin.database,
      table: origin.table,
      legacy_id: origin.legacyId,
      external_ref: failure.externalRef,
      collection,
      code: failure.code,
      field: failure.field ?? '',
      value: failure.value ?? '',
      message: failure.message,
    });
  }

  /** Ends every list and waits for its file; returns them by sub-project name. */
  public async close(): Promise<FixList[]> {
    const databases = [...this.#open.keys()].sort();
    for (const list of this.#open.values()) {
      list.csv.end();
      await once(list.file, 'close');
    }
    return databases.map((database) => {
      const { path, records } = this.#open.get(database)!;
      return { database, file: fixListFile(database), records, path };
    });
  }

  private start(database: string): OpenFixList {
    const path = this.pathOf(`fixlist-${database}.csv`);
    // A cell a spreadsheet would evaluate (= + - @ tab CR first, OWASP's CSV injection) gets a leading ' and stays text.
    const csv = stringify({ header: true, columns: [...FIX_LIST_COLUMNS], escape_formulas: true });
    const file = createWriteStream(path);
    csv.pipe(file);
    const list = { csv, file, path, records: 0 };
    this.#open.set(database, list);
    return list;
  }
}
