// Seed public.asos_stations from the shipped reference (data/asos_stations.csv, generated into
// stations_gen.ts). Only rows that differ are written, so an unchanged seed touches nothing.
import type { Sql } from "../db/resource.ts";
import { ASOS_STATIONS } from "./stations_gen.ts";

/** Upserts the stations; returns how many rows were inserted or changed. */
export async function seedAsosStations(sql: Sql): Promise<number> {
  const rows = await sql`
    insert into public.asos_stations as s (stn_id, station_name, office, latitude, longitude, has_solar_sensor)
    select stn_id, station_name, office, latitude, longitude, has_solar_sensor
    from jsonb_to_recordset(${sql.json(ASOS_STATIONS)}::jsonb) as t(
      stn_id int, station_name text, office text, latitude float8, longitude float8, has_solar_sensor boolean)
    on conflict (stn_id) do update set
      station_name = excluded.station_name, office = excluded.office, latitude = excluded.latitude,
      longitude = excluded.longitude, has_solar_sensor = excluded.has_solar_sensor
    where (s.station_name, s.office, s.latitude, s.longitude, s.has_solar_sensor)
      is distinct from (excluded.station_name, excluded.office, excluded.latitude, excluded.longitude, excluded.has_solar_sensor)
    returning 1
  `;
  return rows.length;
}
