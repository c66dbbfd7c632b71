// Plant ↔ ASOS station matching and the joined view pv_weather_hourly.
//
// Both are derived from the operators' plant and generation tables. Which of those exist depends on
// which sources have landed (KOSPO: nambu_*, KOEN: namdong_*), so the branches are listed here once
// and each is included when its tables exist; ensureReady (f/lib/db/setup.ts) calls
// refreshPlantStation and ensureWeatherViews after every seed, so the mapping and the view follow
// plant/station changes and new operators without a migration of their own.
import type { Pool, Sql } from "../../db/resource.ts";

/** One operator: where its plants (with coordinates) and its hourly generation live. */
export interface OperatorBranch {
  operator: string; // 'kospo' | 'koen'
  plantsTable: string; // public.<table> with <codeColumn>, hogi, latitude, longitude, plant_name
  generationTable: string; // public.<table> keyed by (<codeColumn>, hogi, datetime) with generation
  codeColumn: string; // the plant identity besides hogi: KOSPO gencd, KOEN plant_name
  displayColumn?: string; // a friendlier name when the table has one (else plant_name)
}

/** Adding an operator = one entry here (the SQL below builds one UNION branch per entry). */
export const OPERATOR_BRANCHES: readonly OperatorBranch[] = [
  { operator: "kospo", plantsTable: "nambu_plants", generationTable: "nambu_generation", codeColumn: "gencd" },
  { operator: "koen", plantsTable: "namdong_plants", generationTable: "namdong_generation", codeColumn: "plant_name", displayColumn: "display_name" },
];

const EARTH_RADIUS_KM = 6371.0088; // mean Earth radius (IUGG)

/** Great-circle distance in km (haversine), for checks and tests; the SQL below computes the same. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

const havSql = (pLat: string, pLon: string, sLat: string, sLon: string) =>
  `2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(power(sin(radians(${sLat} - ${pLat}) / 2), 2)` +
  ` + cos(radians(${pLat})) * cos(radians(${sLat})) * power(sin(radians(${sLon} - ${pLon}) / 2), 2))))`;

const ident = (s: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe SQL identifier "${s}"`);
  return s;
};

async function columnsOf(sql: Sql, table: string): Promise<Map<string, string>> {
  const rows = await sql<{ column_name: string; data_type: string }[]>`
    select column_name, data_type from information_schema.columns
    where table_schema = 'public' and table_name = ${table}`;
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** Branches whose plant table exists with the columns the mapping needs, with their name expression. */
async function plantBranches(sql: Sql): Promise<(OperatorBranch & { nameExpr: string })[]> {
  const out: (OperatorBranch & { nameExpr: string })[] = [];
  for (const b of OPERATOR_BRANCHES) {
    const cols = await columnsOf(sql, b.plantsTable);
    if (![b.codeColumn, "hogi", "latitude", "longitude"].every((c) => cols.has(c))) continue;
    const names = [b.displayColumn, "plant_name"].filter((c): c is string => c !== undefined && cols.has(c)).map((c) => `p.${ident(c)}::text`);
    out.push({ ...b, nameExpr: names.length ? `coalesce(${names.join(", ")})` : "null::text" });
  }
  return out;
}

const LOCK_KEY = 0x61736f73; // 'asos'

/**
 * Recompute public.plant_station set-wise: for every plant with coordinates, the nearest station and
 * the nearest station with a pyranometer (ties: lower stn_id). Only changed rows are written and
 * plants that lost their coordinates (or vanished) are removed. Cheap: plants × 95 stations.
 */
export async function refreshPlantStation(sql: Pool): Promise<{ plants: number; written: number; removed: number }> {
  const branches = await plantBranches(sql);
  const plantSelects = branches.map((b) => {
    const t = ident(b.plantsTable);
    const code = ident(b.codeColumn);
    return `select '${ident(b.operator)}'::text as operator, p.${code}::text as plant_code, p.hogi::int as hogi,
              ${b.nameExpr} as plant_name, p.latitude::float8 as latitude, p.longitude::float8 as longitude
       from public.${t} p where p.latitude is not null and p.longitude is not null and p.hogi is not null`;
  });
  const plants = plantSelects.length
    ? plantSelects.join("\n       union all\n       ")
    : "select null::text as operator, null::text as plant_code, null::int as hogi, null::text as plant_name, null::float8 as latitude, null::float8 as longitude where false";
  const query = `
    with plants as (
       ${plants}
    ), matched as (
      select p.*, n.stn_id, n.km as distance_km, s.stn_id as solar_stn_id, s.km as solar_distance_km
      from plants p
      cross join lateral (
        select st.stn_id, ${havSql("p.latitude", "p.longitude", "st.latitude", "st.longitude")} as km
        from public.asos_stations st order by 2, st.stn_id limit 1) n
      left join lateral (
        select st.stn_id, ${havSql("p.latitude", "p.longitude", "st.latitude", "st.longitude")} as km
        from public.asos_stations st where st.has_solar_sensor order by 2, st.stn_id limit 1) s on true
    ), written as (
      insert into public.plant_station as ps
        (operator, plant_code, hogi, plant_name, latitude, longitude, stn_id, distance_km, solar_stn_id, solar_distance_km, computed_at)
      select operator, plant_code, hogi, plant_name, latitude, longitude, stn_id, distance_km, solar_stn_id, solar_distance_km, now()
      from matched
      on conflict (operator, plant_code, hogi) do update set
        plant_name = excluded.plant_name, latitude = excluded.latitude, longitude = excluded.longitude,
        stn_id = excluded.stn_id, distance_km = excluded.distance_km,
        solar_stn_id = excluded.solar_stn_id, solar_distance_km = excluded.solar_distance_km, computed_at = now()
      where (ps.plant_name, ps.latitude, ps.longitude, ps.stn_id, ps.distance_km, ps.solar_stn_id, ps.solar_distance_km)
        is distinct from (excluded.plant_name, excluded.latitude, excluded.longitude, excluded.stn_id,
                          excluded.distance_km, excluded.solar_stn_id, excluded.solar_distance_km)
      returning 1
    ), removed as (
      delete from public.plant_station ps
      where not exists (select 1 from matched m
                        where m.operator = ps.operator and m.plant_code = ps.plant_code and m.hogi = ps.hogi)
      returning 1
    )
    select (select count(*) from matched)::int as plants, (select count(*) from written)::int as written,
           (select count(*) from removed)::int as removed`;
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    const [r] = await tx.unsafe(query);
    return { plants: Number(r.plants), written: Number(r.written), removed: Number(r.removed) };
  }) as Promise<{ plants: number; written: number; removed: number }>;
}

// ---------------------------------------------------------------------------------------------
// pv_weather_hourly

export const PV_WEATHER_VIEW = "public.pv_weather_hourly";

/** Fields taken from the plant's nearest station (instantaneous at tm, or accumulated over the hour ending at tm). */
const NEAREST_FIELDS = ["ta", "hm", "td", "pv", "pa", "ps", "ws", "wd", "rn", "ss", "dc10_tca", "dc10_lmcs_ca", "lcs_ch", "vs", "ts", "dsnw"];
const NEAREST_FILLED = ["ta_filled", "hm_filled", "td_filled", "pa_filled", "ps_filled", "rn_filled", "ss_filled"];

const VIEW_DOC =
  "PV generation of every plant with coordinates joined to the weather of its ASOS stations. " +
  "datetime = interval start T of the PV hour [T, T+1h) (KST convention of the generation tables). " +
  "Weather comes from the ONE observation record with tm = T + 1 h: accumulated fields (icsr, ss, rn) " +
  "cover exactly [T, T+1h); instantaneous fields (ta, hm, ws, ...) are the values observed at the END of the " +
  "interval. Station fields come from the nearest station (stn_id); icsr/icsr_filled come from the nearest " +
  "station with a pyranometer (solar_stn_id). Weather columns are NULL when that observation is missing.";

interface GenerationBranch {
  operator: string;
  table: string;
  code: string;
  datetimeExpr: string;
  filledExpr: string;
}

async function generationBranches(sql: Sql): Promise<GenerationBranch[]> {
  const out: GenerationBranch[] = [];
  for (const b of OPERATOR_BRANCHES) {
    const cols = await columnsOf(sql, b.generationTable);
    if (![b.codeColumn, "hogi", "datetime", "generation"].every((c) => cols.has(c))) continue;
    // Generation tables store interval start with an explicit zone; a naive timestamp is KST wall-clock.
    const naive = cols.get("datetime") === "timestamp without time zone";
    out.push({
      operator: ident(b.operator),
      table: ident(b.generationTable),
      code: ident(b.codeColumn),
      datetimeExpr: naive ? "(g.datetime at time zone 'Asia/Seoul')" : "g.datetime",
      filledExpr: cols.has("generation_filled") ? "g.generation_filled::float8" : "null::float8",
    });
  }
  return out;
}

function viewSql(branches: GenerationBranch[]): string {
  const weather = NEAREST_FIELDS.map((f) => `w.${f}`).join(", ");
  const filled = NEAREST_FILLED.map((f) => `w.${f}`).join(", ");
  const selects = branches.map(
    (b) => `
  select '${b.operator}'::text as operator, ps.plant_code, ps.hogi, ps.plant_name,
         ${b.datetimeExpr} as datetime,
         g.generation::float8 as generation, ${b.filledExpr} as generation_filled,
         ps.stn_id, st.station_name, ps.distance_km,
         ${b.datetimeExpr} + interval '1 hour' as weather_tm,
         ${weather},
         ${filled},
         ps.solar_stn_id, sst.station_name as solar_station_name, ps.solar_distance_km,
         ws.icsr, ws.icsr_filled
  from public.${b.table} g
  join public.plant_station ps on ps.operator = '${b.operator}' and ps.plant_code = g.${b.code}::text and ps.hogi = g.hogi
  join public.asos_stations st on st.stn_id = ps.stn_id
  left join public.asos_stations sst on sst.stn_id = ps.solar_stn_id
  -- PV interval [T, T+1h) ↔ the observation at tm = T + 1 h (accumulations over the hour ending at tm).
  left join public.weather_asos w on w.stn_id = ps.stn_id and w.datetime = ${b.datetimeExpr} + interval '1 hour'
  left join public.weather_asos ws on ws.stn_id = ps.solar_stn_id and ws.datetime = ${b.datetimeExpr} + interval '1 hour'`,
  );
  return `-- ${VIEW_DOC}\ncreate view ${PV_WEATHER_VIEW} as${selects.join("\n  union all")}`;
}

/** (Re)create pv_weather_hourly when the set of operators with generation tables changed; else no-op. */
export async function ensureWeatherViews(sql: Pool): Promise<{ operators: string[]; recreated: boolean }> {
  const branches = await generationBranches(sql);
  const operators = branches.map((b) => b.operator);
  const signature = `pvpipe-view v1 [${operators.join(",")}]`;
  const current = async (q: Sql) => {
    const [r] = await q<{ c: string | null }[]>`select obj_description(to_regclass(${PV_WEATHER_VIEW}), 'pg_class') as c`;
    return r?.c ?? null;
  };
  if ((await current(sql))?.startsWith(signature)) return { operators, recreated: false };
  if (branches.length === 0) return { operators, recreated: false };
  return sql.begin(async (tx0) => {
    const tx: Sql = tx0;
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    if ((await current(tx))?.startsWith(signature)) return { operators, recreated: false };
    await tx.unsafe(`drop view if exists ${PV_WEATHER_VIEW}`);
    await tx.unsafe(viewSql(branches));
    await tx.unsafe(`comment on view ${PV_WEATHER_VIEW} is '${`${signature}: ${VIEW_DOC}`.replaceAll("'", "''")}'`);
    return { operators, recreated: true };
  }) as Promise<{ operators: string[]; recreated: boolean }>;
}
