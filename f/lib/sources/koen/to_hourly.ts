// One KOEN CSV record (a unit-day, labels 1..24) → 24 hourly rows at interval start KST:
// datetime = 일자 + (label − 1) h, so label 24 is 23:00 of the same day. Missing values stay null.
import { labelToIntervalStart } from "../../time/kst.ts";
import type { KoenCsvRow } from "./csv.ts";

export interface KoenHourlyRow {
  plantName: string;
  hogi: number;
  datetime: Date;
  hour: number; // the source's label 1..24
  generation: number | null;
  dailyTotal: number | null;
  dailyAvg: number | null;
  dailyMax: number | null;
  dailyMin: number | null;
}

export function koenRowToHourly(r: KoenCsvRow): KoenHourlyRow[] {
  return r.hours.map((generation, i) => ({
    plantName: r.plantName,
    hogi: r.hogi,
    datetime: labelToIntervalStart(r.date, i + 1),
    hour: i + 1,
    generation,
    dailyTotal: r.dailyTotal,
    dailyAvg: r.dailyAvg,
    dailyMax: r.dailyMax,
    dailyMin: r.dailyMin,
  }));
}
