// ASOS stations as the partitions' unit dimension: the station id as the key (`2024-06-01|108`).
import { ActionableError } from "../../runtime/errors.ts";
import type { UnitCodec } from "../../assets/partition_key.ts";
import { dynamicKeys } from "../../assets/partitions.ts";
import type { Sql } from "../../db/resource.ts";
import type { DimKey } from "../../store/partition_states.ts";

export class UnknownStation extends ActionableError {}

/** Which stations a plan covers when no explicit list is given. */
export type StationSet = "mapped" | "all";

/**
 * Stations to plan for: the given ids (each must be a known station), else the stations mapped to
 * plants (nearest, and nearest with a pyranometer; `plant_station`), else with set = "all" every station.
 */
export async function asosDims(sql: Sql, filter: { stations?: number[]; set?: StationSet }): Promise<DimKey[]> {
  const ids = [...new Set(filter.stations ?? [])].sort((a, b) => a - b);
  if (ids.length > 0) {
    const bad = ids.filter((id) => !Number.isInteger(id) || id <= 0);
    if (bad.length) throw new UnknownStation(`station ids must be positive integers, got ${bad.join(", ")}`);
    const known = await sql<{ stn_id: number }[]>`select stn_id from public.asos_stations where stn_id = any(${ids}::int[])`;
    const missing = ids.filter((id) => !known.some((k) => k.stn_id === id));
    if (missing.length) throw new UnknownStation(`unknown ASOS station ${missing.join(", ")} (see public.asos_stations / data/asos_stations.csv)`);
    return ids.map((id) => ({ key: String(id) }));
  }
  const rows =
    filter.set === "all"
      ? await sql<{ stn_id: number }[]>`select stn_id from public.asos_stations order by stn_id`
      : await sql<{ stn_id: number }[]>`
          select distinct s as stn_id from public.plant_station ps
          cross join lateral (values (ps.stn_id), (ps.solar_stn_id)) v(s)
          where s is not null order by 1`;
  return rows.map((r) => ({ key: String(r.stn_id) }));
}

export function parseStationKey(key: string): number {
  const n = Number(key);
  if (!/^\d+$/.test(key) || !Number.isInteger(n) || n <= 0) throw new UnknownStation(`"${key}" is not an ASOS station key (a station id such as 108)`);
  return n;
}

export const ASOS_STATION_DIMENSION = dynamicKeys("asos_station");

export const ASOS_STATION_CODEC: UnitCodec<number> = { keyed: true, format: (id) => String(id), parse: parseStationKey };
