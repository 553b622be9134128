/**
 * What the three reports share: writing their files (streamed JSON lists, the page) and escaped markup.
 *
 * @packageDocumentation
 */
export { BASE_STYLE, html, Html, joinHtml, number, raw } from './html.ts';
export { JsonArrayFile } from './json-array-file.ts';
export { oneMemberPerLine } from './json-document.ts';
export { ReportFiles } from './report-files.ts';
export type { ReportFile, ReportStore } from './types.ts';
export { put } from './write-stream.ts';
