// nambu_generation as the generic ingest, impute and the checks see it (migrations 0002, 0009).
import { PV_DAILY_COLUMNS, PV_FILL, PV_PLANT_ATTRIBUTES } from "../pv_columns.ts";
import type { ServingTable } from "../serving_table.ts";

export const NAMBU_GENERATION: ServingTable = {
  name: "public.nambu_generation",
  stage: "stage.kospo_hourly",
  stageColumns: ["gencd", "hogi", "datetime", "hour_label", "plant_name", "generation", ...PV_DAILY_COLUMNS],
  key: ["gencd", "hogi", "datetime"],
  replaced: [],
  // An empty ipptnm leaves the stored name; a later fetch never erases a measured value with NULL.
  kept: ["plant_name", "generation", ...PV_DAILY_COLUMNS],
  fill: PV_FILL,
  units: { columns: ["gencd", "hogi"], types: ["text", "int"], keySql: (a) => `(${a}.gencd || '-' || ${a}.hogi)`, table: "public.nambu_plants", ...PV_PLANT_ATTRIBUTES },
  version: { row: `to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-')`, order: ["datetime"] },
};
