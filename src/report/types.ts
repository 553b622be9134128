import type { Html } from './html.ts';

/** Where the finished files of a report go (the engine's bucket). */
export interface ReportStore {
  /** Stores a file under a key and returns the key. */
  putFile(key: string, path: string, contentType: string): Promise<string>;
}

/**
 * How a streamed array with no items is written: with an empty line between
 * its brackets (report.json, rollback.json) or without (verify.json). Both
 * read as `[]`; each file keeps the bytes it has always had.
 */
export type EmptyArray = '[\n\n]' | '[\n]';

/** A file of the report's own, beside its page and document (a fix list). */
export interface ReportFile {
  key: string;
  path: string;
  contentType: string;
}

/** What `ReportFiles.store` writes and stores: the page, the document, and the files that go before them. */
export interface ReportOutput {
  /** Stored first, in this order. */
  files?: readonly ReportFile[];
  /** The page, in the pieces it is written in. */
  html: { key: string; page: Iterable<Html> };
  /** The document: plain JSON, streamed arrays (`JsonArrayFile`) and objects of one member per line (`oneMemberPerLine`). */
  json: { key: string; document: Readonly<Record<string, unknown>> };
}
