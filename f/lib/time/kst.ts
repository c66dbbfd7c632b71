// Korean time (Asia/Seoul, UTC+9, no DST) and calendar-date helpers.
// Dates travel as `YYYY-MM-DD` strings; instants as Date. All date math goes through here.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import timezone from "dayjs/plugin/timezone.js";
import customParseFormat from "dayjs/plugin/customParseFormat.js";
import { z } from "zod";
import { now as clockNow } from "./clock.ts";

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

export const KST = "Asia/Seoul";

// Calendar arithmetic on `YYYY-MM-DD` (years 1000–9999) is done on day numbers: a chunk's steps
// call these for every day of it, and a dayjs object with its plugins costs ~5 KB a call, about a
// sixth of what a backfill allocated. Anything else goes to dayjs as before, so results never differ.
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The UTC midnight (ms) of a real calendar date `YYYY-MM-DD` of years 1000–9999, else NaN. */
function utcDay(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return Number.NaN;
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 7);
  const d = digits(iso, 8, 10);
  if (!(y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return Number.NaN;
  return Date.UTC(y, m - 1, d);
}

/** The number written in s[from, to), or NaN when a character is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` of a UTC midnight in years 1000–9999, else null. */
function isoOfUtcDay(ms: number): string | null {
  const t = new Date(ms);
  const y = t.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return null;
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** Whether `YYYY-MM-DD` is a real calendar date, as dayjs's strict parse says. */
function isRealDate(iso: string): boolean {
  return !Number.isNaN(utcDay(iso)) || dayjs(iso, "YYYY-MM-DD", true).isValid();
}

/** A real calendar date written `YYYY-MM-DD` (rejects 2024-02-30). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine(isRealDate, { message: "not a real calendar date" });

export function parseIsoDate(s: string, what = "date"): string {
  const r = isoDate.safeParse(s);
  if (!r.success) throw new RangeError(`${what} "${s}" is not a valid date (YYYY-MM-DD)`);
  return s;
}

/** `20240601`, `2024-06-01` or `2024/06/01` → `2024-06-01`; null when it is none of these. */
export function normalizeYmd(s: string): string | null {
  const digits = s.trim().replace(/[-/.]/g, "");
  if (!/^\d{8}$/.test(digits)) return null;
  const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return isRealDate(iso) ? iso : null;
}

export const compactYmd = (iso: string): string => iso.replaceAll("-", "");

export function addDays(iso: string, n: number): string {
  const t = utcDay(iso);
  return (Number.isNaN(t) ? null : isoOfUtcDay(t + Math.round(n) * DAY_MS)) ?? dayjs.utc(iso).add(n, "day").format("YYYY-MM-DD");
}

export function daysBetween(startIso: string, endIso: string): number {
  const diff = (utcDay(endIso) - utcDay(startIso)) / DAY_MS;
  return Number.isNaN(diff) ? dayjs.utc(endIso).diff(dayjs.utc(startIso), "day") : diff;
}

export function eachDay(startIso: string, endIso: string): string[] {
  const out: string[] = [];
  for (let d = startIso; d <= endIso; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Today's calendar date in Korea (by the pipeline clock, ./clock.ts, unless given an instant). */
export function todayKst(now: Date = clockNow()): string {
  return dayjs(now).tz(KST).format("YYYY-MM-DD");
}

export const yesterdayKst = (now: Date = clockNow()): string => addDays(todayKst(now), -1);

export function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

export function monthEnd(iso: string): string {
  const first = monthStart(iso);
  if (Number.isNaN(utcDay(first))) return dayjs.utc(first).endOf("month").format("YYYY-MM-DD");
  return `${first.slice(0, 8)}${daysInMonth(digits(first, 0, 4), digits(first, 5, 7))}`;
}

export function addMonths(iso: string, n: number): string {
  const first = monthStart(iso);
  if (Number.isNaN(utcDay(first)) || !Number.isInteger(n)) return dayjs.utc(first).add(n, "month").format("YYYY-MM-DD");
  const months = digits(first, 0, 4) * 12 + digits(first, 5, 7) - 1 + n;
  return isoOfUtcDay(Date.UTC(Math.floor(months / 12), months % 12 >= 0 ? months % 12 : (months % 12) + 12, 1)) ?? dayjs.utc(first).add(n, "month").format("YYYY-MM-DD");
}

/** Calendar-month pieces of [start, end]: 01-15..03-10 → 01-15..01-31, 02-01..02-29, 03-01..03-10. */
export function splitByMonth(startIso: string, endIso: string): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  for (let s = startIso; s <= endIso; s = addDays(monthEnd(s), 1)) {
    const e = monthEnd(s) < endIso ? monthEnd(s) : endIso;
    out.push({ start: s, end: e });
  }
  return out;
}

/** Midnight KST of a calendar date, as an instant. */
export function kstMidnight(iso: string): Date {
  const t = utcDay(iso);
  return Number.isNaN(t) ? new Date(`${iso}T00:00:00+09:00`) : new Date(t - 9 * HOUR_MS);
}

/**
 * Korean power data labels hours 1..24 as hour-ending: label N covers [N-1:00, N:00) KST.
 * We store the interval start: label 1 → 00:00, label 24 → 23:00 of the same day.
 */
export function labelToIntervalStart(iso: string, label: number): Date {
  if (!Number.isInteger(label) || label < 1 || label > 24) throw new RangeError(`hour label ${label} is not 1..24`);
  return new Date(kstMidnight(iso).getTime() + (label - 1) * 3_600_000);
}

/** An instant as KST wall-clock `YYYY-MM-DD HH:mm`. */
export function formatKst(d: Date): string {
  return dayjs(d).tz(KST).format("YYYY-MM-DD HH:mm");
}

/** KST wall-clock `YYYY-MM-DD HH:mm` → instant. */
export function parseKstWallClock(s: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$/.exec(s.trim());
  if (!m || normalizeYmd(m[1]) === null) return null;
  return new Date(`${m[1]}T${m[2]}:${m[3]}:00+09:00`);
}
