import {
  type Collection,
  type FieldIssue,
  type LegacyTable,
  type MappingResult,
  type RecordFailure,
  SCHEMAS,
  type StatusKind,
  validateBody,
} from '../index.ts';
import type { MappingContext, ParentReference, TargetCall, MappedRequest } from './types.ts';

/** `<database_name>:<legacy table>:<id>`, unique per customer and collection. */
export function externalRefOf(database: string, table: LegacyTable, id: number): string {
  return `${database}:${table}:${id}`;
}

/** A failed mapping result. */
export function failed<T>(failure: RecordFailure): MappingResult<T> {
  return { ok: false, failure };
}

/**
 * Check 1 of docs/mapping.md: every parent exists in the legacy database and
 * is migrated. Returns the parents' target ids by field, or the first failure.
 */
export function checkParents(
  row: object,
  parents: readonly ParentReference[],
  ctx: MappingContext,
): { ok: true; ids: Record<string, string> } | { ok: false; failure: RecordFailure } {
  const values = row as Record<string, unknown>;
  const ids: Record<string, string> = {};
  for (const parent of parents) {
    const legacyId = values[parent.column];
    if (legacyId === null || legacyId === undefined) continue;
    const ref = externalRefOf(ctx.database, parent.table, Number(legacyId));
    const exists = parent.column === 'id' || Boolean(values[`${parent.column}_exists`]);
    if (!exists) {
      return { ok: false, failure: { code: 'orphan', field: parent.field, value: String(legacyId), message: `${ref} does not exist in the legacy database` } };
    }
    const outcome = ctx.parent(parent.collection, Number(legacyId));
    if (outcome?.state === 'migrated') {
      ids[parent.field] = outcome.targetId;
    } else if (outcome?.state === 'skipped' && outcome.code === 'completed_project') {
      return { ok: false, failure: { code: 'completed_project', message: `${ref} is under a COMPLETED project and was skipped` } };
    } else {
      const why = outcome ? `was ${outcome.state} (${outcome.code})` : 'has not been migrated';
      return { ok: false, failure: { code: 'parent_failed', field: parent.field, value: String(legacyId), message: `${parent.collection} ${ref} ${why}` } };
    }
  }
  return { ok: true, ids };
}

/** Check 3: a status, type or kind that no layer of the status maps knows. */
export function unmappedStatus(kind: StatusKind, field: string, legacy: string, ctx: MappingContext): RecordFailure {
  const setting = ctx.statusMaps.issueFor(kind);
  const note = setting ? `; the setting ${setting.setting} was left out: ${setting.issue}` : '';
  return { code: 'unmapped_status', field, value: cut(legacy), message: `${kind} '${legacy}' has no mapping${note}` };
}

/**
 * Check 4: the first value the target would reject, in the order of the
 * target's fields. `earlier` holds issues found while converting values
 * (a time in the daylight-saving gap); they win over the schema's issue on
 * the same field. Fields in `deferred` are judged by a later check.
 */
export function firstInvalidValue(
  collection: Collection,
  body: object,
  earlier: readonly FieldIssue[] = [],
  deferred: readonly string[] = [],
): RecordFailure | undefined {
  const taken = new Set([...earlier.map((issue) => issue.field), ...deferred]);
  const issues = [...earlier, ...validateBody(collection, body).filter((issue) => !taken.has(issue.field))];
  if (issues.length === 0) return undefined;
  const ranked = issues.map((issue, index) => ({ issue, index, rank: rankOf(collection, issue.field) }));
  ranked.sort((a, b) => compareRanks(a.rank, b.rank) || a.index - b.index);
  const { field, issue } = ranked[0]!.issue;
  const value = valueAt(body, field);
  return { code: 'invalid_value', field, ...(value === undefined ? {} : { value: cut(JSON.stringify(value)) }), message: `${field} ${issue}${shown(value)}` };
}

/** An `invalid_value` failure of a cross-field rule; `value` is the offending one. */
export function invalidValue(field: string, message: string, value?: unknown): RecordFailure {
  return { code: 'invalid_value', field, ...(value === undefined ? {} : { value: cut(typeof value === 'string' ? value : JSON.stringify(value)) }), message };
}

/** The path of a target call with its placeholders filled, each URL-encoded. */
export function pathOf(target: TargetCall, params: Readonly<Record<string, string>>): string {
  return target.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${target.path}`);
    return encodeURIComponent(value);
  });
}

/** A successful mapping result: the target call for this row. */
export function request<T>(
  target: TargetCall,
  externalRef: string,
  params: Readonly<Record<string, string>>,
  body: T,
  headers: Readonly<Record<string, string>> = {},
): MappingResult<MappedRequest<T>> {
  return { ok: true, body: { externalRef, method: target.method, path: pathOf(target, params), headers, body } };
}

type SchemaNode = { properties?: Record<string, SchemaNode> };

/** Position of a dotted field in the schema's property order, level by level; unknown fields sort last. */
function rankOf(collection: Collection, field: string): number[] {
  const rank: number[] = [];
  let node: SchemaNode | undefined = SCHEMAS[collection] as SchemaNode;
  for (const name of field.split('.')) {
    const names: string[] = Object.keys(node?.properties ?? {});
    const index = names.indexOf(name);
    rank.push(index === -1 ? names.length : index);
    node = node?.properties?.[name];
  }
  return rank;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function valueAt(body: object, field: string): unknown {
  return field.split('.').reduce<unknown>((node, name) => (node as Record<string, unknown> | undefined)?.[name], body);
}

/** The offending value for the report, cut short: enough to find the row, never a whole text. */
function shown(value: unknown): string {
  return value === undefined ? '' : ` (got ${cut(JSON.stringify(value))})`;
}

/** A value's text cut to 80 characters. */
function cut(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
