// The one clock for calendar questions: "what day is it in Korea", "is yesterday published yet",
// "which KOEN month is final", "when does the next schedule fire". Everything that asks goes
// through now() so a run can be pinned to an instant: PVPIPE_NOW (ISO 8601 with a zone, optionally
// `@<real instant>`) makes the process start at that instant and advance in real time from there
// (so schedules still tick),
// and tests pin it in-process with setClock(). Event timestamps (run started, fetched at) stay on
// the real clock: they record when something happened, not which day the data belongs to.
import { z } from "zod";

const instant = z
  .string()
  .trim()
  .regex(/(Z|[+-]\d{2}:?\d{2})$/i, "an instant needs a zone, e.g. 2026-12-06T09:30:00+09:00")
  .refine((s) => Number.isFinite(Date.parse(s)), "not a date and time");

/** A clock setting that cannot be read (one line, names the variable). */
export class ClockSettingInvalid extends Error {
  readonly retryable = false;
  constructor(what: string, value: string, cause?: unknown) {
    super(`${what} "${value}" is not an ISO 8601 instant with a zone (e.g. 2026-12-06T09:30:00+09:00)`, { cause });
    this.name = "ClockSettingInvalid";
  }
}

/** Parse an ISO instant with an explicit zone; the message names `what`. */
export function parseInstant(value: string, what = "PVPIPE_NOW"): Date {
  const r = instant.safeParse(value);
  if (!r.success) throw new ClockSettingInvalid(what, value, r.error);
  return new Date(Date.parse(r.data));
}

/**
 * A clock setting: `<instant>` (the clock reads it when the process starts) or
 * `<instant>@<real instant>` (it read it at that real time: processes given the same setting share
 * one timeline, so runs started by different processes still order by time).
 */
function offsetOf(setting: string, what: string): number {
  const at = setting.lastIndexOf("@");
  if (at < 0) return parseInstant(setting, what).getTime() - Date.now();
  return parseInstant(setting.slice(0, at), what).getTime() - parseInstant(setting.slice(at + 1), what).getTime();
}

// Offset from the real clock; null = the real clock. Read from PVPIPE_NOW once, on first use.
let offsetMs: number | null | undefined;

function offset(): number | null {
  if (offsetMs === undefined) {
    const pinned = typeof process !== "undefined" ? process.env.PVPIPE_NOW : undefined;
    offsetMs = pinned ? offsetOf(pinned, "PVPIPE_NOW") : null;
  }
  return offsetMs;
}

/** The current instant as the pipeline sees it. */
export function now(): Date {
  const o = offset();
  return new Date(Date.now() + (o ?? 0));
}

/** How far the pipeline clock is from the real one (ms), or null when it is the real clock. */
export const clockOffsetMs = (): number | null => offset();

/** This clock as a PVPIPE_NOW value for a child process (same timeline), or undefined when real. */
export function clockSetting(): string | undefined {
  const o = offset();
  if (o === null) return undefined;
  const real = Date.now();
  return `${new Date(real + o).toISOString()}@${new Date(real).toISOString()}`;
}

/**
 * Pin the clock (a Date or a setting as PVPIPE_NOW takes it) so that now() returns that instant at
 * this moment (or at the setting's real instant) and advances from there; null goes back to the
 * real clock. For tests and for callers that replay a day.
 */
export function setClock(at: Date | string | null): void {
  if (at === null) offsetMs = null;
  else offsetMs = typeof at === "string" ? offsetOf(at, "clock") : at.getTime() - Date.now();
}
