/**
 * Characters that act on a terminal instead of printing: C0 controls (ESC
 * starts the sequences that move the cursor, clear the screen, set the
 * title or write the clipboard), DEL, C1 controls (U+009B is a one-byte CSI),
 * and the Unicode format characters that reorder or hide text (bidi
 * overrides and isolates, zero-width characters, the BOM).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `\x1b` for a control character, `\u202e` for a format character: visible, and never acted on. */
function escaped(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A value from either system (or the ledger, or a report file) made safe to
 * print on one terminal line: every control and format character written
 * as its escape, newlines included, so data can neither rewrite the screen
 * nor forge a line of its own.
 *
 * @example
 * printable('fp_x:projects:1\x1b]0;owned\x07'); // 'fp_x:projects:1\\x1b]0;owned\\x07'
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** Several lines of the CLI's own (a summary, an error with its stack) whose parts may hold data: each line made {@link printable}, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
