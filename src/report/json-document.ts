import { JsonArrayFile } from './json-array-file.ts';

const ONE_PER_LINE = Symbol('one member per line');

/** An object written with each member on a line of its own. */
export interface LinedObject {
  readonly [ONE_PER_LINE]: Readonly<Record<string, unknown>>;
}

/**
 * Marks an object to be written with each member on a line of its own (a
 * report's `entities`: one collection per line), its other members as
 * compact as JSON.stringify writes them.
 */
export function oneMemberPerLine(members: Readonly<Record<string, unknown>>): LinedObject {
  return { [ONE_PER_LINE]: members };
}

/** A piece of a document as it is written: text, or a streamed array to copy in. */
export type JsonPiece = string | JsonArrayFile;

const isLined = (value: unknown): value is LinedObject => typeof value === 'object' && value !== null && ONE_PER_LINE in value;

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** What JSON.stringify leaves out of an object is left out here too. */
const leftOut = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

function* objectPieces(members: Readonly<Record<string, unknown>>, lineBreak: '' | '\n'): Generator<JsonPiece> {
  yield '{';
  let separator = '';
  for (const [key, value] of Object.entries(members)) {
    if (leftOut(value)) continue;
    yield `${separator}${lineBreak}${JSON.stringify(key)}:`;
    separator = ',';
    yield* valuePieces(value);
  }
  yield `${lineBreak}}`;
}

function* valuePieces(value: unknown): Generator<JsonPiece> {
  if (value instanceof JsonArrayFile) yield value;
  else if (isLined(value)) yield* objectPieces(value[ONE_PER_LINE], '\n');
  else if (isPlainObject(value)) yield* objectPieces(value, '');
  else yield JSON.stringify(value);
}

/**
 * A report's JSON document in the pieces it is written in, in order: the
 * text between two streamed arrays as one piece, each streamed array as a
 * piece of its own. Objects are written member by member, so an array can
 * sit anywhere in the document, with no serialized object cut open to make
 * room for it; everything else is written as JSON.stringify writes it.
 */
export function* jsonPieces(document: Readonly<Record<string, unknown>>): Generator<JsonPiece> {
  let text = '';
  for (const piece of valuePieces(document)) {
    if (typeof piece === 'string') {
      text += piece;
      continue;
    }
    if (text) yield text;
    text = '';
    yield piece;
  }
  if (text) yield text;
}
