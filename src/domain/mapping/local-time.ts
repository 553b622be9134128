import { DateTime, IANAZone } from 'luxon';
import { InvalidInputError } from '../index.ts';

/** A converted legacy date or time: the target's value (undefined when absent), or why it cannot be one. */
export type Converted = { ok: true; value: string | undefined } | { ok: false; issue: string };

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The zero date `0000-00-00` (and its DATETIME form) means "unknown" in FiberPlan. */
function isZero(value: string): boolean {
  return /^0000-00-00(?:[ T]00:00:00(?:\.0+)?)?$/.test(value);
}

/**
 * A legacy DATE as the target's `YYYY-MM-DD`: NULL and the zero date are absent;
 * anything else is passed on for the schema's `date` format to judge.
 */
export function toTargetDate(value: string | null): string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  return trimmed === '' || isZero(trimmed) ? undefined : trimmed;
}

/**
 * A legacy local DATETIME as ISO 8601 with the customer's offset
 * (`2024-05-01T09:30:00+02:00`). NULL and the zero date are absent. A time in
 * the spring-forward gap does not exist and is an issue; an ambiguous autumn
 * time takes the earlier instant, i.e. the summer-time offset.
 */
export function toOffsetDateTime(value: string | null, timeZone: string): Converted {
  if (value === null) return { ok: true, value: undefined };
  const trimmed = value.trim();
  if (trimmed === '' || isZero(trimmed)) return { ok: true, value: undefined };
  const parts = DATETIME.exec(trimmed);
  if (!parts) return { ok: false, issue: `'${trimmed}' is not a date and time` };
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Math.round(Number(`0.${parts[7] ?? '0'}`) * 1000);
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millis);
  // The local fields read back unchanged only when they form a real calendar date and time.
  if (
    wall.getUTCFullYear() !== year ||
    wall.getUTCMonth() !== month - 1 ||
    wall.getUTCDate() !== day ||
    wall.getUTCHours() !== hour ||
    wall.getUTCMinutes() !== minute ||
    wall.getUTCSeconds() !== second
  ) {
    return { ok: false, issue: `'${trimmed}' is not a valid date and time` };
  }
  const zone = zoneOf(timeZone);
  const instant = earliestInstant(wall.getTime(), zone);
  if (instant === undefined) {
    return { ok: false, issue: `'${trimmed}' does not exist in ${timeZone} (daylight-saving gap)` };
  }
  return { ok: true, value: DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? undefined };
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new InvalidInputError(`unknown time zone '${timeZone}'`, { input: 'timeZone', issue: 'not an IANA time zone' });
  return zone;
}

/**
 * The earliest UTC instant whose local time in `zone` is `wallMs` (local
 * fields read as if UTC), or undefined when none is (the gap). Offsets a day
 * either side cover every transition, as no zone changes offset twice a day.
 */
function earliestInstant(wallMs: number, zone: IANAZone): number | undefined {
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  const instants = [...offsets]
    .map((offset) => ({ offset, instant: wallMs - offset * MINUTE_MS }))
    .filter(({ offset, instant }) => zone.offset(instant) === offset)
    .map(({ instant }) => instant);
  return instants.length === 0 ? undefined : Math.min(...instants);
}
