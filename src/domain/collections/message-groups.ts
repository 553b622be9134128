import { createHash } from 'node:crypto';

/** A stable bucket `0..groups-1` for a key, as the MessageGroupId string. */
export function bucketOf(key: string, groups: number): string {
  const count = Math.max(1, Math.floor(groups));
  return String(createHash('sha256').update(key).digest().readUInt32BE(0) % count);
}

/** Rows whose order does not matter spread over the groups by id. */
export function groupById(row: { id: number }, groups: number): string {
  return String(row.id % Math.max(1, Math.floor(groups)));
}
