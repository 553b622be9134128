import type { Prng } from './prng.ts';

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2023, 0, 2);
const DAYS = 3 * 365;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYY-MM-DD` of a day number counted from 1970-01-01. */
export function dayToDate(day: number): string {
  const date = new Date(day * DAY_MS);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A random working day in 2023-2025, as a day number. */
export function randomDay(prng: Prng): number {
  let day = Math.floor(FIRST_DAY / DAY_MS) + prng.int(0, DAYS - 1);
  // Saturday (6) and Sunday (0) move to the next Monday: crews work on weekdays.
  const weekday = new Date(day * DAY_MS).getUTCDay();
  if (weekday === 6) day += 2;
  if (weekday === 0) day += 1;
  return day;
}

/**
 * A local `YYYY-MM-DD HH:MM:SS` on a day, between two hours. Clean data keeps to
 * 06:00-20:00, so it never meets the night-time daylight-saving switches.
 */
export function localTime(day: number, hour: number, minute: number, second = 0): string {
  return `${dayToDate(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/** A random local DATETIME within working hours. */
export function randomLocalTime(prng: Prng, day = randomDay(prng)): string {
  return localTime(day, prng.int(7, 18), prng.int(0, 59), prng.int(0, 59));
}

/** Times in the spring-forward gap of Europe/Amsterdam (the last Sundays of March). */
export const SPRING_GAP_TIMES: readonly string[] = ['2023-03-26 02:15:00', '2024-03-31 02:30:00', '2025-03-30 02:45:00'];

/** Times in the repeated autumn hour of Europe/Amsterdam (the last Sundays of October). */
export const AUTUMN_AMBIGUOUS_TIMES: readonly string[] = ['2023-10-29 02:20:00', '2024-10-27 02:30:00', '2025-10-26 02:40:00'];
