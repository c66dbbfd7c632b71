// The data-health map: every PV plant unit of both operators (reporting.pv_plants) with one day's
// completeness (measured hours, filled hours) and its failing checks that day.
import { LOADED_ASSETS } from "../../../f/lib/assets/catalog.ts";
import type { Sql } from "../../../f/lib/db/resource.ts";

// The PV assets (one measured value per hour) and the plant_id prefix of their units in
// reporting.pv_plants: the source's name, as migration 0007's view writes it.
const PV_ASSETS = LOADED_ASSETS.filter((a) => a.source.table.fill.kind === "value");
const PV_KEYS = PV_ASSETS.map((a) => a.key);
const PV_PREFIXES = PV_ASSETS.map((a) => `${a.source.name}:`);

export interface PlantHealth {
  plant_id: string;
  operator: string;
  plant_label: string;
  latitude: number | null;
  longitude: number | null;
  capacity_kw: number | null;
  data_quality: string;
  rows: number;
  measured: number;
  filled: number;
  failing: number;
  error: boolean;
  checks: string[];
}

export async function plantHealth(sql: Sql, day: string): Promise<PlantHealth[]> {
  return sql<PlantHealth[]>`
    with g as (
      select plant_id, count(*)::int as rows, count(generation)::int as measured,
             count(*) filter (where fill_method not in ('measured', 'none'))::int as filled
      from reporting.pv_generation_hourly
      where datetime >= ${day}::date::timestamp at time zone 'Asia/Seoul'
        and datetime < (${day}::date + 1)::timestamp at time zone 'Asia/Seoul'
      group by plant_id
    ), pv as (
      select * from unnest(${PV_KEYS}::text[], ${PV_PREFIXES}::text[]) as pv(asset, prefix)
    ), c as (
      select pv.prefix || f.unit as plant_id,
             count(*)::int as failing, bool_or(f.severity = 'error') as error,
             array_agg(distinct f.check_name order by f.check_name) as checks
      from reporting.check_failures f join pv using (asset)
      where f.day = ${day}::date and f.unit is not null
      group by 1
    )
    select p.plant_id, p.operator, p.plant_label, p.latitude, p.longitude, p.capacity_kw, p.data_quality,
           coalesce(g.rows, 0) as rows, coalesce(g.measured, 0) as measured, coalesce(g.filled, 0) as filled,
           coalesce(c.failing, 0) as failing, coalesce(c.error, false) as error, coalesce(c.checks, '{}') as checks
    from reporting.pv_plants p left join g using (plant_id) left join c using (plant_id)
    order by p.operator, p.plant_label`;
}
