// nambu_generation as the generic ingest, impute and the checks see it (migrations 0002, 0009).
import type { ServingTable } from "../serving_table.ts";

const DAILY = ["daily_total", "daily_avg", "daily_max", "daily_min"];

export const NAMBU_GENERATION: ServingTable = {
  name: "public.nambu_generation",
  stage: "stage.kospo_hourly",
  stageColumns: ["gencd", "hogi", "datetime", "hour_label", "plant_name", "generation", ...DAILY],
  key: ["gencd", "hogi", "datetime"],
  replaced: [],
  // An empty ipptnm leaves the stored name; a later fetch never erases a measured value with NULL.
  kept: ["plant_name", "generation", ...DAILY],
  fill: { kind: "value", value: "generation", filled: "generation_filled", method: "fill_method", dailyTotal: "daily_total" },
  units: {
    columns: ["gencd", "hogi"],
    types: ["text", "int"],
    keySql: (a) => `(${a}.gencd || '-' || ${a}.hogi)`,
    table: "public.nambu_plants",
    latitude: "latitude",
    longitude: "longitude",
    capacity: "capacity_kw",
    quality: "data_quality",
    hourlyValidFrom: "hourly_valid_from",
  },
  version: { row: `to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-')`, order: ["datetime"] },
};
