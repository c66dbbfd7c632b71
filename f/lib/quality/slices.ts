// What impute and the checks work on: an asset's range of days, split into slices small enough for
// one transaction (a calendar month for monthly assets, 31 days otherwise), and the partition a
// unit-day belongs to.
import { addDays, kstMidnight, monthEnd, monthStart } from "../time/kst.ts";
import type { Partitioning } from "./fill_model.ts";

export interface QualityRange {
  /** First and last day (KST, inclusive). Month keys are fine for monthly assets. */
  start: string;
  end: string;
  /** Unit keys (the partition's dimension, e.g. `997S-1`, `108`); null or empty = every unit with rows. */
  pdims?: string[] | null;
}

/** The days a range covers: whole months for monthly assets. */
export function dayRange(p: { partitioning: Partitioning }, start: string, end: string): { start: string; end: string } {
  return p.partitioning.kind === "monthly" ? { start: monthStart(start), end: monthEnd(end) } : { start, end };
}

/** Slices of at most a month (monthly assets: calendar months; others: 31 days). */
export function slices(p: { partitioning: Partitioning }, start: string, end: string): { start: string; end: string }[] {
  const r = dayRange(p, start, end);
  const out: { start: string; end: string }[] = [];
  if (p.partitioning.kind === "monthly") {
    for (let m = r.start; m <= r.end; m = addDays(monthEnd(m), 1)) out.push({ start: m, end: monthEnd(m) });
    return out;
  }
  for (let s = r.start; s <= r.end; s = addDays(s, 31)) {
    const e = addDays(s, 30);
    out.push({ start: s, end: e < r.end ? e : r.end });
  }
  return out;
}

/** The partition key a unit-day belongs to. */
export function partitionOf(p: { partitioning: Partitioning }, day: string, unitKey: string): string {
  return p.partitioning.kind === "monthly" ? monthStart(day) : `${day}|${unitKey}`;
}


/** [start 00:00 KST, end+1 00:00 KST) as instants. */
export function instantRange(start: string, end: string): { from: Date; to: Date } {
  return { from: kstMidnight(start), to: kstMidnight(addDays(end, 1)) };
}
