// weather_asos as the generic ingest, impute and the checks see it (migrations 0003, 0009).
import type { ServingTable } from "../serving_table.ts";
import { ASOS_COLUMNS, ASOS_FILLED_COLUMNS } from "./item.ts";

export const WEATHER_ASOS: ServingTable = {
  name: "public.weather_asos",
  stage: "stage.asos_hourly",
  stageColumns: ["stn_id", "datetime", "station_name", ...ASOS_COLUMNS],
  key: ["stn_id", "datetime"],
  replaced: [],
  // A re-fetch lacking icsr keeps the stored icsr (DOMAIN §9.22): a later load never erases a stored value with NULL.
  kept: ["station_name", ...ASOS_COLUMNS],
  fill: { kind: "fields", fields: ASOS_FILLED_COLUMNS, suffix: "_filled", methods: "fill_methods" },
  units: {
    columns: ["stn_id"],
    types: ["int"],
    keySql: (a) => `(${a}.stn_id::text)`,
    table: "public.asos_stations",
    latitude: "latitude",
    longitude: "longitude",
    nightZeroWhere: "has_solar_sensor",
  },
  version: {
    row: `to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD"T"HH24') || '=' || row(${ASOS_COLUMNS.map((c) => `g.${c}`).join(", ")})::text`,
    order: ["datetime"],
  },
};
