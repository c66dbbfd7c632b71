// One KOSPO item (a unit-day, labels qhorgen01..24) → 24 hourly rows at interval start KST.
// Missing or unparsable values stay null; they are never written as 0.
import { labelToIntervalStart } from "../../time/kst.ts";
import { HOUR_FIELDS, parseKwh } from "./item.ts";

export interface KospoHourlyRow {
  gencd: string;
  hogi: number;
  datetime: Date;
  hourLabel: number;
  plantName: string | null;
  generation: number | null;
  dailyTotal: number | null;
  dailyAvg: number | null;
  dailyMax: number | null;
  dailyMin: number | null;
}

export function kospoItemToHourly(
  item: Record<string, string>,
  unit: { gencd: string; hogi: number; ymd: string },
  fallbackName: string | null,
): KospoHourlyRow[] {
  // Identity is always the requested (gencd, hogi); the API's display name is only an attribute.
  // An empty name, or one with U+FFFD (a body in the wrong encoding), takes the reference name.
  const given = item.ipptnm?.trim();
  const name = given && !given.includes("\uFFFD") ? given : fallbackName;
  const daily = {
    dailyTotal: parseKwh(item.qvodgen),
    dailyAvg: parseKwh(item.qvodavg),
    dailyMax: parseKwh(item.qvodmax),
    dailyMin: parseKwh(item.qvodmin),
  };
  const rows: KospoHourlyRow[] = [];
  for (let label = 1; label <= 24; label++) {
    rows.push({
      gencd: unit.gencd,
      hogi: unit.hogi,
      datetime: labelToIntervalStart(unit.ymd, label),
      hourLabel: label,
      plantName: name,
      generation: parseKwh(item[HOUR_FIELDS[label - 1]]),
      ...daily,
    });
  }
  return rows;
}
