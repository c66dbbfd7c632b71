// The one clock for calendar questions: "what day is it in Korea", "is yesterday published yet",
// "which KOEN month is final", "when does the next schedule fire". Everything that asks goes
// through now() so a run can be pinned to an instant: PVPIPE_NOW (ISO 8601 with a zone) makes the
// process start at that instant and advance in real time from there (so schedules still tick),
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

// Offset from the real clock; null = the real clock. Read from PVPIPE_NOW once, on first use.
let offsetMs: number | null | undefined;

function offset(): number | null {
  if (offsetMs === undefined) {
    const pinned = typeof process !== "undefined" ? process.env.PVPIPE_NOW : undefined;
    offsetMs = pinned ? parseInstant(pinned).getTime() - Date.now() : null;
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

/**
 * Pin the clock so that now() returns `at` at this moment and advances from there; null goes back
 * to the real clock. For tests and for callers that replay a day.
 */
export function setClock(at: Date | string | null): void {
  if (at === null) {
    offsetMs = null;
    return;
  }
  const d = typeof at === "string" ? parseInstant(at, "clock") : at;
  offsetMs = d.getTime() - Date.now();
}
