// What both operators' PV tables name alike (migrations 0002, 0004, 0009): the daily summary
// columns, the measured value with its fill columns, and the plant tables' attributes.
import type { FillColumns, UnitModel } from "./serving_table.ts";

export const PV_DAILY_COLUMNS = ["daily_total", "daily_avg", "daily_max", "daily_min"];

export const PV_FILL: FillColumns = { kind: "value", value: "generation", filled: "generation_filled", method: "fill_method", dailyTotal: "daily_total" };

export const PV_PLANT_ATTRIBUTES = {
  latitude: "latitude",
  longitude: "longitude",
  capacity: "capacity_kw",
  quality: "data_quality",
  hourlyValidFrom: "hourly_valid_from",
} as const satisfies Partial<UnitModel>;
