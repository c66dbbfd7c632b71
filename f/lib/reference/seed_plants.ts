// Seed the plant tables from the shipped reference data. Names, coordinates and quality come
// from the reference; what the pipeline learned (first/last date) is kept.
import type { Sql } from "../db/resource.ts";
import { KOSPO_UNITS } from "./plants_gen.ts";

export async function seedKospoPlants(sql: Sql): Promise<void> {
  await sql`
    insert into public.nambu_plants as p
      (gencd, hogi, plant_name, unit_name, latitude, longitude, capacity_kw, data_quality, hourly_valid_from)
    select gencd, hogi, plant_name, unit_name, latitude, longitude, capacity_kw, data_quality, hourly_valid_from
    from jsonb_to_recordset(${sql.json(KOSPO_UNITS)}::jsonb) as t(
      gencd text, hogi int, plant_name text, unit_name text, latitude float8, longitude float8,
      capacity_kw float8, data_quality text, hourly_valid_from date)
    on conflict (gencd, hogi) do update set
      plant_name = excluded.plant_name, unit_name = excluded.unit_name, latitude = excluded.latitude,
      longitude = excluded.longitude, capacity_kw = excluded.capacity_kw, data_quality = excluded.data_quality,
      hourly_valid_from = excluded.hourly_valid_from
    where (p.plant_name, p.unit_name, p.latitude, p.longitude, p.capacity_kw, p.data_quality, p.hourly_valid_from)
      is distinct from (excluded.plant_name, excluded.unit_name, excluded.latitude, excluded.longitude,
                        excluded.capacity_kw, excluded.data_quality, excluded.hourly_valid_from)
  `;
}
