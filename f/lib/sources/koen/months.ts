// KOEN partitions are calendar months (key = first day). One download covers a month for every
// plant; a month is fetched up to yesterday (KST) and is `partial` until it is complete and settled.
import { addDays, addMonths, monthEnd, monthStart, parseIsoDate } from "../../time/kst.ts";

/**
 * KOEN publishes a month's data by the 10th of the next month (the schedule of DOMAIN §2.7): a month
 * fetched earlier may still be completed or revised at the source, so it is kept `partial` and
 * fetched again by a later run.
 */
export const KOEN_SETTLED_DAY = 10;

export interface KoenMonthWindow {
  month: string; // partition key, YYYY-MM-01
  start: string; // strDateS
  end: string; // strDateE (clipped to yesterday)
  partial: boolean;
  partialReason: string | null;
}

/** Month keys from the chunk's first to its last month (both month starts, inclusive). */
export function monthKeys(first: string, last: string): string[] {
  parseIsoDate(first, "first month");
  parseIsoDate(last, "last month");
  const out: string[] = [];
  for (let m = monthStart(first); m <= monthStart(last); m = addMonths(m, 1)) out.push(m);
  return out;
}

/** What to request for a month given today's date (KST); null when the month has no past day yet. */
export function koenMonthWindow(month: string, today: string): KoenMonthWindow | null {
  const m = monthStart(parseIsoDate(month, "month"));
  const yesterday = addDays(today, -1);
  if (m > yesterday) return null;
  const last = monthEnd(m);
  const end = last < yesterday ? last : yesterday;
  const settledOn = addDays(addMonths(m, 1), KOEN_SETTLED_DAY - 1);
  let partialReason: string | null = null;
  if (end < last) partialReason = `month not over: fetched up to ${end}`;
  else if (today < settledOn) partialReason = `fetched before ${settledOn}, when KOEN has published the whole month`;
  return { month: m, start: m, end, partial: partialReason !== null, partialReason };
}
