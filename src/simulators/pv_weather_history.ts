// Synthetic PV × weather history for the export benchmark and tests, generated in the database (set-based,
// generate_series): every plant matched to a station (plant_station: 18 KOSPO + 23 KOEN units) gets
// one generation row per hour, every station they use gets one observation per hour, with gaps
// (NULL measured values), fills with their methods, and one materialized partition per day (KOSPO,
// ASOS) or month (KOEN) with a data version, as the pipeline would leave them. ~3.6 M PV rows for
// 10 years.
//
// Rows are written in the order ingestion writes them: one unit's (station's) month after another,
// so a unit's rows lie together on disk as they do in a loaded database (a station's observations
// interleaved hour by hour with every other station's would make each export statement read the
// whole weather table). Per row no text or numeric arithmetic: the hour is an integer count of hours
// since the epoch, its KST hour of day (i + 9) mod 24 (KST has had no DST since 1988), and the
// pseudo-random draws are integer hashes of it.
import type postgres from "postgres";
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { Sql } from "../../f/lib/db/resource.ts";
import { addDays } from "../../f/lib/time/kst.ts";

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** The tables the history is written to. */
export const PV_WEATHER_TABLES = ["public.nambu_generation", "public.namdong_generation", "public.weather_asos", "ops.asset_partitions"] as const;

export interface GeneratedHistory {
  pvRows: number;
  weatherRows: number;
  partitions: number;
}

/** Fill [start, end] (KST days) with generated history. The database must be migrated and seeded. */
export async function generatePvWeather(sql: Sql, range: { start: string; end: string }): Promise<GeneratedHistory> {
  // Hours since the epoch of the first PV hour (start 00:00 KST) and of the first hour after the range.
  const first = Date.parse(`${range.start}T00:00:00+09:00`) / 3_600_000;
  const after = Date.parse(`${range.end}T00:00:00+09:00`) / 3_600_000 + 24;
  // The months of [start, lastDay] (KST), each in hours [i0, i1] clipped to [first, last], times the
  // units of `units` in their order `ord`: the chunks, in the order they are written.
  const chunks = (units: Fragment, lastDay: string, last: number) => sql`
    select c.*, greatest(${first}::bigint, extract(epoch from d::timestamp at time zone 'Asia/Seoul')::bigint / 3600) as i0,
           least(${last}::bigint, extract(epoch from (d + interval '1 month')::timestamp at time zone 'Asia/Seoul')::bigint / 3600 - 1) as i1
    from generate_series(date_trunc('month', ${range.start}::date), ${lastDay}::date, interval '1 month') m
    cross join lateral (select m::date as d) md
    cross join (${units}) c
    order by d, c.ord`;
  // PV: a clear-sky-ish bell between 06 and 19 KST scaled by the unit's capacity, ~3 % of hours
  // missing (NULL), filled by night_zero / linear / profile, a few left 'none'. `r` is uniform in
  // [0, 1], a hash of the hour and the unit.
  const pvRows = (operator: "kospo" | "koen", name: Fragment, plants: Fragment) => sql`
    select to_timestamp(i * 3600) as datetime, c.code, c.hogi, c.plant_name,
           case when m.miss then null else v.val end as generation,
           case when m.miss and v.night then 0 when m.miss and x.r < 0.025 then v.val * 0.9
                when m.miss and x.r < 0.029 then v.val when m.miss then null else v.val end as generation_filled,
           case when not m.miss then 'measured' when v.night then 'night_zero' when x.r < 0.025 then 'linear'
                when x.r < 0.029 then 'profile' else 'none' end as fill_method,
           x.hr + 1 as hour
    from (${chunks(sql`
      select row_number() over (order by ps.plant_code, ps.hogi) as ord, ps.plant_code as code, ps.hogi, ${name} as plant_name,
             hashtext(ps.plant_code || '-' || ps.hogi)::bigint as seed
      from public.plant_station ps ${plants}
      where ps.operator = ${operator}`, range.end, after - 1)}) c
    cross join lateral generate_series(c.i0, c.i1) i
    cross join lateral (select ((i + 9) % 24)::int as hr, (hashint8extended(i, c.seed) & 2147483647)::float8 / 2147483647 as r) x
    cross join lateral (select x.hr < 6 or x.hr > 18 as night,
                               case when x.hr < 6 or x.hr > 18 then 0
                                    else round(sin(pi() * (x.hr - 5.5) / 14) * 800 * (0.5 + x.r) * 1000) / 1000 end as val) v
    cross join lateral (select x.r < 0.03 as miss) m`;
  const kospoInsert = sql`
    insert into public.nambu_generation (datetime, gencd, hogi, plant_name, generation, generation_filled, fill_method, run_id)
    select datetime, code, hogi, plant_name, generation, generation_filled, fill_method, 'bench'
    from (${pvRows("kospo", sql`p.plant_name`, sql`join public.nambu_plants p on p.gencd = ps.plant_code and p.hogi = ps.hogi`)}) g`;
  const koenInsert = sql`
    insert into public.namdong_generation (datetime, plant_name, hogi, hour, generation, generation_filled, fill_method, run_id)
    select datetime, code, hogi, hour, generation, generation_filled, fill_method, 'bench'
    from (${pvRows("koen", sql`null::text`, sql``)}) g`;
  // Weather: every station the plants use, tm from start 00:00 to end+1 00:00 (the last PV hour's
  // observation), ~2 % of ta and hm missing and filled linearly, rn reported in ~10 % of hours
  // (never filled: accumulated), icsr NULL at night and at stations without a pyranometer.
  const weatherInsert = sql`
    insert into public.weather_asos (datetime, stn_id, station_name, ta, rn, ws, wd, hm, pv, td, pa, ps, ss, icsr,
      dc10_tca, dc10_lmcs_ca, lcs_ch, vs, ts, dsnw, ta_filled, hm_filled, ps_filled, pa_filled, td_filled, ws_filled,
      rn_filled, ss_filled, icsr_filled, fill_methods, run_id)
    select to_timestamp(i * 3600), c.stn_id, c.station_name,
           case when r1 < 0.02 then null else t end, rn,
           ws, round(r1 * 360), case when r2 < 0.02 then null else hmv end, round(r3 * 200) / 10, t - 5, 1000 + r3 * 20, 1010 + r3 * 15,
           ss, icsr, round(r3 * 10), round(r2 * 10), 10, 2000, t + 2, null,
           t, hmv, 1010 + r3 * 15, 1000 + r3 * 20, t - 5, ws, rn, ss, icsr_f,
           jsonb_build_object('ta', case when r1 < 0.02 then 'linear' else 'measured' end,
                              'hm', case when r2 < 0.02 then 'linear' else 'measured' end,
                              'ps', 'measured', 'pa', 'measured', 'td', 'measured', 'ws', 'measured', 'ss', 'measured')
             || case when rn is null then '{}'::jsonb else '{"rn": "measured"}'::jsonb end
             || case when icsr_f is null then '{}'::jsonb
                     else jsonb_build_object('icsr', case when r4 < 0.02 then 'linear' else 'measured' end) end,
           'bench'
    from (${chunks(sql`
      select row_number() over (order by st.stn_id) as ord, st.stn_id, st.station_name, st.has_solar_sensor
      from public.asos_stations st
      where st.stn_id in (select stn_id from public.plant_station union select solar_stn_id from public.plant_station)`, addDays(range.end, 1), after)}) c
    cross join lateral generate_series(c.i0, c.i1) i
    cross join lateral (select (hashint8extended(i, c.stn_id * 4) & 2147483647)::float8 / 2147483647 as r1,
                               (hashint8extended(i, c.stn_id * 4 + 1) & 2147483647)::float8 / 2147483647 as r2,
                               (hashint8extended(i, c.stn_id * 4 + 2) & 2147483647)::float8 / 2147483647 as r3,
                               (hashint8extended(i, c.stn_id * 4 + 3) & 2147483647)::float8 / 2147483647 as r4,
                               ((i + 9) % 24)::int as hr) r
    cross join lateral (select r.hr < 7 or r.hr > 19 as night,
                               round((15 + 10 * sin(pi() * (r.hr - 9) / 12) + r.r3 * 3) * 10) / 10 as t,
                               round(40 + r.r2 * 50) as hmv,
                               case when r.r2 < 0.9 then null else round(r.r2 * 30) / 10 end as rn,
                               round(r.r3 * 60) / 10 as ws) w
    cross join lateral (select case when w.night then 0 else round(r.r4 * 10) / 10 end as ss,
                               case when w.night or not c.has_solar_sensor or r.r4 < 0.02 then null else round(r.r4 * 300) / 100 end as icsr,
                               case when w.night or not c.has_solar_sensor then null else round(r.r4 * 300) / 100 end as icsr_f) a`;
  // Materialized partitions with data versions, as ingest records them.
  const partitionsInsert = sql`
    insert into ops.asset_partitions (asset, partition, pdate, pdim, status, run_id, row_count, data_version, code_version, materialized_at, attempted_at)
    select ${kospoHourly.key}::text, to_char(d, 'YYYY-MM-DD') || '|' || ps.plant_code || '-' || ps.hogi, d, ps.plant_code || '-' || ps.hogi,
           'success', 'bench', 24, substr(md5(ps.plant_code || ps.hogi || d::text), 1, 16), '1', now(), now()
    from public.plant_station ps cross join generate_series(${range.start}::date, ${range.end}::date, interval '1 day') d
    where ps.operator = 'kospo'
    union all
    select ${koenHourly.key}::text, to_char(m, 'YYYY-MM-DD'), m, null, 'success', 'bench', 0, substr(md5('koen' || m::text), 1, 16), '1', now(), now()
    from generate_series(date_trunc('month', ${range.start}::date), ${range.end}::date, interval '1 month') m
    union all
    select ${asosHourly.key}::text, to_char(d, 'YYYY-MM-DD') || '|' || s.id, d, s.id::text,
           'success', 'bench', 24, substr(md5(s.id || d::text), 1, 16), '1', now(), now()
    from (select distinct v.id from public.plant_station ps cross join lateral (values (ps.stn_id), (ps.solar_stn_id)) v(id) where v.id is not null) s
    cross join generate_series(${range.start}::date, ${range.end}::date + 1, interval '1 day') d
    on conflict do nothing`;
  // Independent tables: a pool of several connections writes them at once (a transaction or a
  // one-connection pool runs the statements one after another).
  const [kospo, koen, weather, partitions] = await Promise.all([kospoInsert, koenInsert, weatherInsert, partitionsInsert]);
  await Promise.all(PV_WEATHER_TABLES.map((t) => sql.unsafe(`analyze ${t}`)));
  return { pvRows: kospo.count + koen.count, weatherRows: weather.count, partitions: partitions.count };
}
