// Meter outages as the real PV sources show them: now and then a unit-day has a run of daytime
// hours with no value (empty cells) — 1 to 6 hours starting anywhere between 08:00 and 17:00 — or,
// for one outage in eight, no value all day. `npm start` turns them on (at a modest rate) so the
// gap-filling (impute) has real work on synthetic data; tests that compare exact values leave them
// off. Deterministic: the same unit-day always has the same gap. The values behind a gap are the
// simulator's truth (kospoSimTruth, koenSimTruth).
import { coin } from "./coin.ts";

/** Share of outages that last the whole day. */
export const WHOLE_DAY_SHARE = 1 / 8;
/** Daytime outages lie within [08:00, 18:00): daylight in every season in Korea. */
const FIRST_HOUR = 8;
const END_HOUR = 18;

/** The hour labels (1..24, label N = hour N−1) left empty for a unit-day, at `rate` of unit-days. */
export function meterGapLabels(unit: string, isoDate: string, rate: number): number[] {
  if (rate <= 0 || coin(`meter-gap|${unit}|${isoDate}`) >= rate) return [];
  if (coin(`meter-gap-day|${unit}|${isoDate}`) < WHOLE_DAY_SHARE) return Array.from({ length: 24 }, (_, i) => i + 1);
  const length = 1 + Math.floor(coin(`meter-gap-length|${unit}|${isoDate}`) * 6); // 1..6 h
  const start = FIRST_HOUR + Math.floor(coin(`meter-gap-start|${unit}|${isoDate}`) * (END_HOUR - FIRST_HOUR - length + 1));
  return Array.from({ length }, (_, i) => start + i + 1);
}
