// namdong_generation as the generic ingest, impute and the checks see it (migrations 0004, 0009).
import type { ServingTable } from "../serving_table.ts";

const DAILY = ["daily_total", "daily_avg", "daily_max", "daily_min"];

export const NAMDONG_GENERATION: ServingTable = {
  name: "public.namdong_generation",
  stage: "stage.koen_hourly",
  stageColumns: ["plant_name", "hogi", "datetime", "hour", "generation", ...DAILY],
  key: ["plant_name", "hogi", "datetime"],
  // The hour label follows the latest download; a later download never erases a measured value with NULL.
  replaced: ["hour"],
  kept: ["generation", ...DAILY],
  fill: { kind: "value", value: "generation", filled: "generation_filled", method: "fill_method", dailyTotal: "daily_total" },
  units: {
    columns: ["plant_name", "hogi"],
    types: ["text", "int"],
    keySql: (a) => `(${a}.plant_name || '-' || ${a}.hogi)`,
    table: "public.namdong_plants",
    latitude: "latitude",
    longitude: "longitude",
    capacity: "capacity_kw",
    quality: "data_quality",
    hourlyValidFrom: "hourly_valid_from",
    // Units first seen in a download (their names passed validation twice, so they are plausible plants).
    register: {
      runColumn: "discovered_run_id",
      atColumn: "discovered_at",
      describe: (u) => `${String(u.plant_name)} 호기 ${String(u.hogi)}`,
    },
  },
  version: {
    row: `g.plant_name || '#' || g.hogi || '@' || to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-')`,
    order: ["plant_name", "hogi", "datetime"],
  },
};
