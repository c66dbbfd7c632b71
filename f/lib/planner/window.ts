// The days a plan covers: the dates given, or — for scheduled flows, which give none — the last
// `lookback_days` days up to the latest day the source publishes, or the `lookback_months` full
// calendar months before this one. Dates later than the source publishes are refused.
import { addDays, addMonths, monthStart, parseIsoDate, todayKst, yesterdayKst } from "../time/kst.ts";
import { InvalidPlanRequest } from "./errors.ts";

export function planWindow(
  r: { start: string; end: string; lookback_days: number; lookback_months: number },
  publishesUpTo: "yesterday" | "today",
  source: string,
): { start: string; end: string } {
  const latest = publishesUpTo === "yesterday" ? yesterdayKst() : todayKst();
  let { start, end } = r;
  if (!start && !end && r.lookback_months > 0) {
    const thisMonth = monthStart(todayKst());
    start = addMonths(thisMonth, -r.lookback_months);
    end = addDays(thisMonth, -1);
  }
  if (!end) end = latest;
  if (!start) start = addDays(end, -(Math.max(1, r.lookback_days) - 1));
  try {
    parseIsoDate(start, "start");
    parseIsoDate(end, "end");
  } catch (e) {
    throw new InvalidPlanRequest(e instanceof Error ? e.message : String(e), { cause: e });
  }
  if (start > end) throw new InvalidPlanRequest(`start ${start} is after end ${end}`);
  if (end > latest) throw new InvalidPlanRequest(`end ${end} is later than ${latest}: ${source} publishes data up to ${publishesUpTo} (KST)`);
  return { start, end };
}
