// Seed public.namdong_plants from the shipped reference list (data/plants.csv → KOEN_UNITS):
// plant_name = 발전구분 as the source spells it, hogi = 호기 (1 when blank). Coordinates and quality
// come from the reference; units discovered in downloads keep their discovery record.
import type { Sql } from "../db/resource.ts";
import { KOEN_UNITS } from "./plants_gen.ts";

export async function seedKoenPlants(sql: Sql): Promise<void> {
  await sql`
    insert into public.namdong_plants as p
      (plant_name, hogi, display_name, latitude, longitude, capacity_kw, data_quality, hourly_valid_from)
    select plant_name, hogi, display_name, latitude, longitude, capacity_kw, data_quality, hourly_valid_from
    from jsonb_to_recordset(${sql.json(KOEN_UNITS)}::jsonb) as t(
      plant_name text, hogi int, display_name text, latitude float8, longitude float8,
      capacity_kw float8, data_quality text, hourly_valid_from date)
    on conflict (plant_name, hogi) do update set
      display_name = excluded.display_name, latitude = excluded.latitude, longitude = excluded.longitude,
      capacity_kw = excluded.capacity_kw, data_quality = excluded.data_quality, hourly_valid_from = excluded.hourly_valid_from
    where (p.display_name, p.latitude, p.longitude, p.capacity_kw, p.data_quality, p.hourly_valid_from)
      is distinct from (excluded.display_name, excluded.latitude, excluded.longitude, excluded.capacity_kw,
                        excluded.data_quality, excluded.hourly_valid_from)
  `;
}
