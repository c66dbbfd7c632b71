// namdong_generation as the generic ingest, impute and the checks see it (migrations 0004, 0009).
import { PV_DAILY_COLUMNS, PV_FILL, PV_PLANT_ATTRIBUTES } from "../pv_columns.ts";
import type { ServingTable } from "../serving_table.ts";

export const NAMDONG_GENERATION: ServingTable = {
  name: "public.namdong_generation",
  stage: "stage.koen_hourly",
  stageColumns: ["plant_name", "hogi", "datetime", "hour", "generation", ...PV_DAILY_COLUMNS],
  key: ["plant_name", "hogi", "datetime"],
  // The hour label follows the latest download; a later download never erases a measured value with NULL.
  replaced: ["hour"],
  kept: ["generation", ...PV_DAILY_COLUMNS],
  fill: PV_FILL,
  units: {
    columns: ["plant_name", "hogi"],
    types: ["text", "int"],
    keySql: (a) => `(${a}.plant_name || '-' || ${a}.hogi)`,
    table: "public.namdong_plants",
    ...PV_PLANT_ATTRIBUTES,
    // Units first seen in a download (their names passed validation twice, so they are plausible plants).
    register: { runColumn: "discovered_run_id", atColumn: "discovered_at", describe: (u) => `${String(u.plant_name)} 호기 ${String(u.hogi)}` },
  },
  version: {
    row: `g.plant_name || '#' || g.hogi || '@' || to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-')`,
    order: ["plant_name", "hogi", "datetime"],
  },
};
