// The units an export covers: plant units (pv_weather, kospo, koen) or stations (asos), resolved
// from the filters against the database. Unknown plants, units or stations are usage errors that
// list what exists; a plant without coordinates has no station, so it has no pv_weather rows.
import type { Sql } from "../db/resource.ts";
import type { Branch, DatasetId } from "./datasets.ts";
import { PickKnownUnits } from "./errors.ts";

export interface ExportUnit {
  /** The unit's key in the manifest: 'kospo:997S-1' (pv_weather), '997S-1' (kospo), '<발전구분>-1' (koen), '108' (asos). */
  key: string;
  branch: Branch;
  /** KOSPO gencd, KOEN 발전구분, or the station id (asos). */
  code: string;
  hogi: number | null;
  /** Its weather station (pv_weather: nearest; asos: the station itself) and nearest pyranometer station. */
  stn: number | null;
  solarStn: number | null;
}

export interface UnitFilter {
  plants: string[];
  units: number[];
  stations: number[];
}

interface PlantRow {
  operator: "kospo" | "koen";
  code: string;
  hogi: number;
  stn_id: number | null;
  solar_stn_id: number | null;
  mapped: boolean;
  has_rows: boolean;
}

const list = (xs: readonly (string | number)[], max = 40) => (xs.length > max ? `${xs.slice(0, max).join(", ")}, …` : xs.join(", "));

/** Every plant unit of the operators, with its stations and whether it has rows in the range. */
async function plantUnits(sql: Sql, range: { from: Date; to: Date }): Promise<PlantRow[]> {
  return sql<PlantRow[]>`
    select p.operator, p.code, p.hogi, ps.stn_id, ps.solar_stn_id, ps.stn_id is not null as mapped,
           case p.operator
             when 'kospo' then exists (select 1 from public.nambu_generation g
                                       where g.gencd = p.code and g.hogi = p.hogi and g.datetime >= ${range.from} and g.datetime < ${range.to})
             else exists (select 1 from public.namdong_generation g
                          where g.plant_name = p.code and g.hogi = p.hogi and g.datetime >= ${range.from} and g.datetime < ${range.to})
           end as has_rows
    from (select 'kospo'::text as operator, gencd as code, hogi, latitude from public.nambu_plants
          union all
          select 'koen'::text, plant_name, hogi, latitude from public.namdong_plants) p
    left join public.plant_station ps on ps.operator = p.operator and ps.plant_code = p.code and ps.hogi = p.hogi
    order by p.operator desc, p.code, p.hogi`;
}

export async function resolveUnits(sql: Sql, dataset: DatasetId, filter: UnitFilter, range: { from: Date; to: Date }): Promise<ExportUnit[]> {
  if (dataset === "asos") {
    if (filter.plants.length || filter.units.length) throw new PickKnownUnits("--plant and --unit select plants; the asos dataset is selected by --station");
    return stationUnits(sql, filter.stations);
  }
  if (dataset !== "pv_weather" && filter.stations.length) {
    throw new PickKnownUnits(`--station applies to --dataset pv_weather (plants matched to those stations) and asos, not ${dataset}`);
  }
  const operators = dataset === "pv_weather" ? ["kospo", "koen"] : [dataset];
  const all = (await plantUnits(sql, range)).filter((p) => operators.includes(p.operator));
  const unknown = filter.plants.filter((c) => !all.some((p) => p.code === c));
  if (unknown.length) {
    const known = [...new Set(all.map((p) => p.code))];
    throw new PickKnownUnits(`unknown plant ${unknown.map((c) => JSON.stringify(c)).join(", ")} for --dataset ${dataset} (known: ${list(known)})`);
  }
  let chosen = filter.plants.length ? all.filter((p) => filter.plants.includes(p.code)) : all;
  if (filter.units.length) {
    const missing = filter.units.filter((h) => !chosen.some((p) => p.hogi === h));
    if (missing.length) throw new PickKnownUnits(`no unit ${missing.join(", ")} among the selected plants (units: ${list([...new Set(chosen.map((p) => p.hogi))].sort((a, b) => a - b))})`);
    chosen = chosen.filter((p) => filter.units.includes(p.hogi));
  }
  if (dataset === "pv_weather") {
    const unmapped = chosen.filter((p) => !p.mapped);
    if (filter.plants.length && unmapped.length) {
      throw new PickKnownUnits(`plant ${list(unmapped.map((p) => `${p.code}-${p.hogi}`))} has no coordinates, so no weather station: export it with --dataset ${unmapped[0].operator}`);
    }
    chosen = chosen.filter((p) => p.mapped);
    if (filter.stations.length) {
      const known = new Set(chosen.flatMap((p) => [p.stn_id, p.solar_stn_id]));
      const none = filter.stations.filter((s) => !known.has(s));
      if (none.length) throw new PickKnownUnits(`no selected plant is matched to station ${none.join(", ")} (stations: ${list([...known].filter((s) => s !== null).sort((a, b) => a! - b!) as number[])})`);
      chosen = chosen.filter((p) => filter.stations.includes(p.stn_id!) || filter.stations.includes(p.solar_stn_id!));
    }
  } else if (!filter.plants.length) {
    // Every unit that can have data: with coordinates (the planner's units) or with rows in the range.
    chosen = chosen.filter((p) => p.mapped || p.has_rows);
  }
  if (chosen.length === 0) throw new PickKnownUnits(`the selection matches no ${dataset === "pv_weather" ? "plant with a weather station" : "plant unit"}`);
  return chosen.map((p) => ({
    key: dataset === "pv_weather" ? `${p.operator}:${p.code}-${p.hogi}` : `${p.code}-${p.hogi}`,
    branch: p.operator,
    code: p.code,
    hogi: p.hogi,
    // Stations only where the dataset reads weather.
    stn: dataset === "pv_weather" ? p.stn_id : null,
    solarStn: dataset === "pv_weather" ? p.solar_stn_id : null,
  }));
}

/** Stations given, else every station matched to a plant (as `pvpipe backfill --source asos`). */
async function stationUnits(sql: Sql, stations: number[]): Promise<ExportUnit[]> {
  let ids = [...new Set(stations)].sort((a, b) => a - b);
  if (ids.length) {
    const known = await sql<{ stn_id: number }[]>`select stn_id from public.asos_stations where stn_id = any(${ids}::int[])`;
    const unknown = ids.filter((id) => !known.some((k) => k.stn_id === id));
    if (unknown.length) {
      const all = await sql<{ stn_id: number }[]>`select stn_id from public.asos_stations order by 1`;
      throw new PickKnownUnits(`unknown ASOS station ${unknown.join(", ")} (known: ${list(all.map((s) => s.stn_id), 100)})`);
    }
  } else {
    const rows = await sql<{ s: number }[]>`
      select distinct v.s from public.plant_station ps cross join lateral (values (ps.stn_id), (ps.solar_stn_id)) v(s)
      where v.s is not null order by 1`;
    ids = rows.map((r) => r.s);
    if (ids.length === 0) throw new PickKnownUnits("no station is matched to a plant: give --station ID");
  }
  return ids.map((id) => ({ key: String(id), branch: "asos", code: String(id), hogi: null, stn: id, solarStn: null }));
}
