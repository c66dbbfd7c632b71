// One plant unit's hourly series (measured, filled, fill method) over a window, and the unit itself.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface PlantRow {
  plant_id: string;
  operator: string;
  operator_name: string;
  plant_label: string;
  latitude: number | null;
  longitude: number | null;
  capacity_kw: number | null;
  data_quality: string;
}

export interface SeriesRow {
  datetime: Date;
  generation: number | null;
  generation_filled: number | null;
  fill_method: string;
}

export async function plantById(sql: Sql, plantId: string): Promise<PlantRow | null> {
  const [row] = await sql<PlantRow[]>`
    select plant_id, operator, operator_name, plant_label, latitude, longitude, capacity_kw, data_quality
    from reporting.pv_plants where plant_id = ${plantId}`;
  return row ?? null;
}

export async function plantSeries(sql: Sql, plantId: string, o: { start: string; end: string }): Promise<SeriesRow[]> {
  return sql<SeriesRow[]>`
    select datetime, generation, generation_filled, fill_method
    from reporting.pv_generation_hourly
    where plant_id = ${plantId}
      and datetime >= ${o.start}::date::timestamp at time zone 'Asia/Seoul'
      and datetime < (${o.end}::date + 1)::timestamp at time zone 'Asia/Seoul'
    order by datetime`;
}
