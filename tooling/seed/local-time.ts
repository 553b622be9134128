import { IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * The instant (epoch ms) of a local `YYYY-MM-DD HH:MM:SS` in a time zone, as the
 * mapping rules define it: undefined in the spring-forward gap, the earlier
 * (summer-time) instant when the autumn hour makes it ambiguous.
 */
export function localToInstant(local: string, timeZone: string): number | undefined {
  const match = LOCAL.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const zone = IANAZone.create(timeZone);
  // Offset changes are months apart: the offsets a day before and after are the only candidates.
  const offsets = new Set([zone.offset(asUtc - DAY_MS), zone.offset(asUtc + DAY_MS)]);
  const instants = [...offsets].map((offset) => asUtc - offset * 60_000).filter((instant) => zone.offset(instant) * 60_000 === asUtc - instant);
  return instants.length === 0 ? undefined : Math.min(...instants);
}
