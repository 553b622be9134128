/** What report.html, rollback.html and verify.html share: escaping, numbers and the page's base style. */

/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

/** A count with thousands separators, as the pages show them. */
export const number = (value: number): string => value.toLocaleString('en-US');

/** The base style of every page: one look for the three reports, offline (no stylesheet to fetch). */
export const BASE_STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}',
  'table{border-collapse:collapse;margin:1rem 0}',
  'td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}',
  '.n{text-align:right}.bad{color:#b00020;font-weight:bold}code{font-size:.9em}',
].join('');
