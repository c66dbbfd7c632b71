// Meter outages as the real PV sources show them: now and then a unit-day has a run of daytime
// hours with no value (an empty cell), 2 to 5 hours long from 10:00. `npm start` turns them on so
// the gap-filling (impute) has real work on synthetic data; tests that compare exact values leave
// them off. Deterministic: the same unit-day always has the same gap.
import { coin } from "./coin.ts";

/** The hour labels (1..24) left empty for a unit-day, at `rate` of unit-days. */
export function meterGapLabels(unit: string, isoDate: string, rate: number): number[] {
  if (rate <= 0 || coin(`meter-gap|${unit}|${isoDate}`) >= rate) return [];
  const length = 2 + Math.floor(coin(`meter-gap-length|${unit}|${isoDate}`) * 4); // 2..5 h
  return Array.from({ length }, (_, i) => 11 + i); // labels 11.. = from 10:00 KST
}
