// Choices for the launch form's pickers, from the reference tables: KOSPO plant units and ASOS
// stations (with whether a plant is matched to them).
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface UnitOption {
  gencd: string;
  hogi: number;
  label: string;
  located: boolean;
}

export interface StationOption {
  stn_id: number;
  station_name: string;
  has_solar_sensor: boolean;
  mapped: boolean;
}

export async function kospoUnitOptions(sql: Sql): Promise<UnitOption[]> {
  return sql<UnitOption[]>`
    select gencd, hogi, plant_name as label, latitude is not null as located
    from public.nambu_plants order by gencd, hogi`;
}

export async function stationOptions(sql: Sql): Promise<StationOption[]> {
  return sql<StationOption[]>`
    select s.stn_id, s.station_name, s.has_solar_sensor,
           exists (select 1 from public.plant_station ps where s.stn_id in (ps.stn_id, ps.solar_stn_id)) as mapped
    from public.asos_stations s order by s.stn_id`;
}
