/**
 * What report.html, rollback.html and verify.html share: markup that escapes
 * every value unless the code marks it as markup, numbers as the pages show
 * them, and the pages' base style.
 */

/**
 * Markup, written to a page as it is. Made by the {@link html} template (its
 * values escaped) or by {@link raw} (the code's own markup); a plain string is
 * text and is always escaped.
 */
export class Html {
  /** Prefer {@link html} or {@link raw}: they say which text is markup. */
  public constructor(public readonly text: string) {}

  /** The markup itself: a page's pieces join to the page. */
  public toString(): string {
    return this.text;
  }
}

/** What a page interpolates: markup as it is, text and numbers escaped, a list of them one after another. */
export type HtmlValue = Html | string | number | readonly HtmlValue[];

/** Text made safe for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Markup from a template: its literal parts are the code's markup, every
 * interpolated value is escaped unless it is {@link Html} already. A value
 * from either system or the ledger cannot add an element or an attribute.
 *
 * @example
 * html`<td><code>${externalRef}</code></td>`; // externalRef '<b>' gives <td><code>&lt;b&gt;</code></td>
 * html`<p${failed ? html` class="bad"` : ''}>${status}</p>`;
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  return new Html(values.reduce<string>((text, value, index) => text + render(value) + (strings[index + 1] ?? ''), strings[0] ?? ''));
}

/** Markup the code wrote itself (a sentence, a constant fragment): written as it is. Never for a value from a system or a person. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Values one after another with `separator` between them (a text, escaped like a value). */
export function joinHtml(values: readonly HtmlValue[], separator: string): Html {
  return new Html(values.map(render).join(escapeHtml(separator)));
}

/** A count with thousands separators, as the pages show them. */
export const number = (value: number): string => value.toLocaleString('en-US');

/** The base style of every page: one look for the three reports, offline (no stylesheet to fetch). */
export const BASE_STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}',
  'table{border-collapse:collapse;margin:1rem 0}',
  'td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}',
  '.n{text-align:right}.bad{color:#b00020;font-weight:bold}code{font-size:.9em}',
].join('');
