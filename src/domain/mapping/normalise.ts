/**
 * The only normalisation the engine does (docs/mapping.md): trimming, empty
 * optional text to absent, postcode and KvK number spacing. Everything else
 * reaches the schema as the legacy database holds it.
 */

/** Required text, trimmed; an empty result is left for the schema's `minLength` to fail. */
export function requiredText(value: string | null): string {
  return (value ?? '').trim();
}

/** Optional text, trimmed; empty maps to absent. */
export function optionalText(value: string | null): string | undefined {
  const trimmed = requiredText(value);
  return trimmed === '' ? undefined : trimmed;
}

/** `1234 ab` → `1234AB`: inner white space removed, upper-cased. */
export function postcode(value: string): string {
  return value.replace(/\s+/gu, '').toUpperCase();
}

/** KvK number without inner white space; empty maps to absent. */
export function kvkNumber(value: string | null): string | undefined {
  const compact = (value ?? '').replace(/\s+/gu, '');
  return compact === '' ? undefined : compact;
}

/** A DECIMAL column (a string under mysql2 `dateStrings`/default decimal handling) as a number. */
export function decimal(value: string | number | null): number | undefined {
  if (value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : Number(text);
}

/** The object without its undefined properties: the target reads a present key as "given". */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
