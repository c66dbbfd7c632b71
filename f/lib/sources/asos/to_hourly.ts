// One ASOS item (a station-hour) → one serving row. datetime = tm (the observation instant, KST
// wall-clock); values parsed with parseNumber: "" (not observed), "-" and junk → null, never 0.
import { parseNumber } from "../numeric.ts";
import { ASOS_VALUE_FIELDS, asosItemTime, type AsosColumn, type AsosRawItem } from "./item.ts";

export interface AsosHourlyRow {
  stnId: number;
  datetime: Date;
  stationName: string | null;
  values: Record<AsosColumn, number | null>;
}

export function asosItemToHourly(item: AsosRawItem, stnId: number, fallbackName: string | null): AsosHourlyRow {
  const name = typeof item.stnNm === "string" && item.stnNm.trim() !== "" ? item.stnNm.trim() : fallbackName;
  const values = {} as Record<AsosColumn, number | null>;
  for (const f of ASOS_VALUE_FIELDS) {
    const v = item[f.field];
    values[f.column] = typeof v === "string" || typeof v === "number" ? parseNumber(v) : null;
  }
  // Identity is always the requested station; the name is only an attribute.
  return { stnId, datetime: asosItemTime(item), stationName: name, values };
}
