import { STATUS_MAP_TABLES } from './constants.ts';
import type { StatusMapTable } from './types.ts';
import { SCHEMAS } from './validation.ts';

/** A legacy column holding a status, type or kind, as `<table>.<column>`. */
export type StatusKind = 'projects.status' | 'addresses.kind' | 'addresses.status' | 'assignments.type' | 'assignments.status';

/** Legacy spelling → target value, as a profile or a sub-project setting writes it. */
export type StatusMapEntries = Readonly<Record<string, string>>;

/** A profile's `statusMaps`: per legacy table, per column, extra or changed spellings. */
export interface StatusMapConfig {
  projects?: { status?: StatusMapEntries };
  addresses?: { kind?: StatusMapEntries; status?: StatusMapEntries };
  assignments?: { type?: StatusMapEntries; status?: StatusMapEntries };
}

/** A sub-project setting that could not be used, and why. */
export interface SettingIssue {
  setting: string;
  issue: string;
}

/** Default mapping of docs/mapping.md, "Statuses". */
export const DEFAULT_STATUS_MAPS: Readonly<Record<StatusKind, StatusMapEntries>> = {
  'projects.status': {
    planned: 'PLANNED',
    active: 'IN_PROGRESS',
    completed: 'COMPLETED',
    done: 'COMPLETED',
    cancelled: 'CANCELLED',
  },
  'addresses.kind': { residential: 'RESIDENTIAL', business: 'BUSINESS' },
  'addresses.status': {
    new: 'NEW',
    surveyed: 'SURVEYED',
    ready: 'READY',
    connected: 'CONNECTED',
    refused: 'REFUSED',
  },
  'assignments.type': { survey: 'SURVEY', civil: 'CIVIL', splice: 'SPLICE', activation: 'ACTIVATION' },
  'assignments.status': {
    open: 'OPEN',
    planned: 'PLANNED',
    in_progress: 'IN_PROGRESS',
    done: 'DONE',
    cancelled: 'CANCELLED',
  },
};

/** Where the target's allowed values live: the collection schema and property (the schemas are the only copy). */
const TARGET_PROPERTY: Readonly<Record<StatusKind, [keyof typeof SCHEMAS, string]>> = {
  'projects.status': ['projects', 'status'],
  'addresses.kind': ['connections', 'type'],
  'addresses.status': ['connections', 'status'],
  'assignments.type': ['work-orders', 'type'],
  'assignments.status': ['work-order-updates', 'status'],
};

/** The target values a status kind may map to, read from the collection's JSON Schema. */
export function targetValuesOf(kind: StatusKind): readonly string[] {
  const [collection, property] = TARGET_PROPERTY[kind];
  const schema = SCHEMAS[collection] as { properties: Record<string, { enum?: string[] }> };
  return schema.properties[property]?.enum ?? [];
}

/** Matching ignores case and surrounding spaces only: inner spaces count. */
function keyOf(spelling: string): string {
  return spelling.trim().toLowerCase();
}

const SETTING_PREFIX = 'status_map.';

/**
 * The status maps of one sub-project: defaults ← customer profile ← the
 * sub-project's `settings.status_map.<table>` rows, the last layer winning.
 *
 * A malformed setting never stops the run: it is left out as a whole, listed
 * in {@link StatusMaps.issues}, and named in the message of every record whose
 * status it could have mapped.
 *
 * @example
 * const maps = StatusMaps.resolve(profile.statusMaps, { 'status_map.projects': '{"on hold": "CANCELLED"}' });
 * maps.map('projects.status', ' On Hold'); // 'CANCELLED' (case and surrounding spaces ignored)
 * const leftOut = maps.issues; // malformed settings, each left out whole: [{ setting, issue }]
 */
export class StatusMaps {
  /** Settings that were left out, and why. */
  public readonly issues: readonly SettingIssue[];
  readonly #maps: ReadonlyMap<StatusKind, ReadonlyMap<string, string>>;

  private constructor(maps: ReadonlyMap<StatusKind, ReadonlyMap<string, string>>, issues: SettingIssue[]) {
    this.#maps = maps;
    this.issues = issues;
  }

  /**
   * Layers the maps of one sub-project.
   * @param profileMaps the resolved customer profile's `statusMaps`
   * @param settings the sub-project's `settings` rows, name → value; rows not named `status_map.*` are ignored
   */
  public static resolve(profileMaps: StatusMapConfig = {}, settings: Readonly<Record<string, string>> = {}): StatusMaps {
    const maps = new Map<StatusKind, Map<string, string>>();
    for (const kind of Object.keys(DEFAULT_STATUS_MAPS) as StatusKind[]) {
      const [table, column] = kind.split('.') as [StatusMapTable, string];
      const fromProfile = (profileMaps[table] as Record<string, StatusMapEntries | undefined> | undefined)?.[column];
      maps.set(kind, new Map());
      addEntries(maps.get(kind)!, DEFAULT_STATUS_MAPS[kind]);
      addEntries(maps.get(kind)!, fromProfile ?? {});
    }
    const issues: SettingIssue[] = [];
    for (const [name, value] of Object.entries(settings)) {
      if (!name.startsWith(SETTING_PREFIX)) continue;
      const parsed = parseSetting(name, value);
      if ('issue' in parsed) issues.push({ setting: name, issue: parsed.issue });
      else addEntries(maps.get(parsed.kind)!, parsed.entries);
    }
    return new StatusMaps(maps, issues);
  }

  /** The target value of a legacy spelling, or undefined when nothing maps it. */
  public map(kind: StatusKind, legacy: string): string | undefined {
    return this.#maps.get(kind)?.get(keyOf(legacy));
  }

  /** The issue of the setting that would have extended this kind's map, if that setting was left out. */
  public issueFor(kind: StatusKind): SettingIssue | undefined {
    const setting = `${SETTING_PREFIX}${kind.split('.')[0]}`;
    return SETTING_KIND[setting] === kind ? this.issues.find((issue) => issue.setting === setting) : undefined;
  }
}

/** A sub-project setting maps statuses only: the `status` column of its table (docs/legacy-schema.md). */
const SETTING_KIND: Readonly<Record<string, StatusKind>> = Object.fromEntries(
  STATUS_MAP_TABLES.map((table) => [`${SETTING_PREFIX}${table}`, `${table}.status` as StatusKind]),
);

function addEntries(map: Map<string, string>, entries: StatusMapEntries): void {
  for (const [spelling, target] of Object.entries(entries)) map.set(keyOf(spelling), target);
}

/** Reads one `status_map.<table>` setting; all of it or nothing, so a half-applied map never surprises anyone. */
function parseSetting(name: string, value: string): { kind: StatusKind; entries: StatusMapEntries } | { issue: string } {
  const kind = SETTING_KIND[name];
  if (!kind) return { issue: `no table with statuses is called '${name.slice(SETTING_PREFIX.length)}' (expected one of ${STATUS_MAP_TABLES.join(', ')})` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return { issue: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { issue: 'must be a JSON object of legacy spelling to target status' };
  }
  const allowed = targetValuesOf(kind);
  for (const [spelling, target] of Object.entries(parsed)) {
    if (typeof target !== 'string' || !allowed.includes(target)) {
      return { issue: `'${spelling}' maps to ${JSON.stringify(target)}, which is not one of ${allowed.join(', ')}` };
    }
  }
  return { kind, entries: parsed as StatusMapEntries };
}
