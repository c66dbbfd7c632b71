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

/** A real calendar date written `YYYY-MM-DD` (rejects 2024-02-30). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => dayjs(s, "YYYY-MM-DD", true).isValid(), { message: "not a real calendar date" });

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
  return dayjs(iso, "YYYY-MM-DD", true).isValid() ? iso : null;
}

export const compactYmd = (iso: string): string => iso.replaceAll("-", "");

export function addDays(iso: string, n: number): string {
  return dayjs.utc(iso).add(n, "day").format("YYYY-MM-DD");
}

export function daysBetween(startIso: string, endIso: string): number {
  return dayjs.utc(endIso).diff(dayjs.utc(startIso), "day");
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
  return dayjs.utc(monthStart(iso)).endOf("month").format("YYYY-MM-DD");
}

export function addMonths(iso: string, n: number): string {
  return dayjs.utc(monthStart(iso)).add(n, "month").format("YYYY-MM-DD");
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
  return new Date(`${iso}T00:00:00+09:00`);
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
