// A range that starts before an asset's first partition is not an error, but the days before it
// are skipped, and the person is told how many and why (the asset's start, or the first day the
// chosen units have data).
import type { Sql } from "../../f/lib/db/resource.ts";
import { assetOfSource } from "../../f/lib/assets/sources.ts";
import { addDays, daysBetween } from "../../f/lib/time/kst.ts";

export async function rangeBeforeFirstPartition(
  sql: Sql,
  o: { source: string; start: string; end: string; plant?: string; unit?: number; stations?: number[] },
): Promise<string | null> {
  const asset = assetOfSource(o.source);
  const time = asset.time;
  const dims = await asset.source.units.plan(sql, { plant: o.plant, unit: o.unit, stations: o.stations ?? [] });
  const froms = (dims ?? []).map((d) => d.from ?? time.start);
  const unitsFirst = froms.length ? froms.reduce((a, b) => (a < b ? a : b)) : time.start;
  const first = unitsFirst > time.start ? unitsFirst : time.start;
  if (o.start >= first) return null;
  const why = first === time.start ? `${asset.key} starts on ${time.start}` : `the first day with data of the ${dims && dims.length === 1 ? "unit" : "units"} chosen is ${first}`;
  const lastSkipped = o.end < first ? o.end : addDays(first, -1);
  const days = daysBetween(o.start, lastSkipped) + 1;
  return o.end < first
    ? `nothing to load: ${o.start}..${o.end} is before ${asset.key}'s first partition (${why}); all ${days} days skipped`
    : `${days} days skipped (${o.start}..${lastSkipped}): ${why}; loading from ${first}`;
}
