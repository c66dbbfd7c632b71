// Synthetic PV × weather history for the export benchmark and tests, generated in the database (set-based,
// generate_series): every plant matched to a station (plant_station: 18 KOSPO + 23 KOEN units) gets
// one generation row per hour, every station they use gets one observation per hour, with gaps
// (NULL measured values), fills with their methods, and one materialized partition per day (KOSPO,
// ASOS) or month (KOEN) with a data version, as the pipeline would leave them. ~3.6 M PV rows for
// 10 years.
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { Sql } from "../../f/lib/db/resource.ts";

export interface GeneratedHistory {
  pvRows: number;
  weatherRows: number;
  partitions: number;
}

/** Fill [start, end] (KST days) with generated history. The database must be migrated and seeded. */
export async function generatePvWeather(sql: Sql, range: { start: string; end: string }): Promise<GeneratedHistory> {
  const from = `${range.start} 00:00+09`;
  const to = `${range.end} 00:00+09`;
  // PV: a clear-sky-ish bell between 06 and 19 KST scaled by the unit's capacity, ~3 % of hours
  // missing (NULL), filled by night_zero / linear / profile, a few left 'none'.
  const pvSelect = (code: string) => sql`
    select h as datetime, ps.plant_code as ${sql(code)}, ps.hogi,
           case when m.miss then null else v.val end as generation,
           case when m.miss and v.night then 0 when m.miss and m.r < 0.025 then v.val * 0.9
                when m.miss and m.r < 0.029 then v.val when m.miss then null else v.val end as generation_filled,
           case when not m.miss then 'measured' when v.night then 'night_zero' when m.r < 0.025 then 'linear'
                when m.r < 0.029 then 'profile' else 'none' end as fill_method
    from public.plant_station ps
    cross join generate_series(${from}::timestamptz, ${to}::timestamptz + interval '23 hours', interval '1 hour') h
    cross join lateral (select extract(hour from h at time zone 'Asia/Seoul')::int as hr,
                               abs(hashtext(ps.plant_code || ps.hogi || h::text)) / 2147483647.0 as r) x
    cross join lateral (select x.hr < 6 or x.hr > 18 as night,
                               case when x.hr < 6 or x.hr > 18 then 0
                                    else round((sin(pi() * (x.hr - 5.5) / 14) * 800 * (0.5 + x.r))::numeric, 3)::float8 end as val) v
    cross join lateral (select x.r < 0.03 as miss, x.r) m`;
  await sql`
    insert into public.nambu_generation (datetime, gencd, hogi, plant_name, generation, generation_filled, fill_method, run_id)
    select g.datetime, g.gencd, g.hogi, p.plant_name, g.generation, g.generation_filled, g.fill_method, 'bench'
    from (${pvSelect("gencd")} where ps.operator = 'kospo') g
    join public.nambu_plants p on p.gencd = g.gencd and p.hogi = g.hogi`;
  await sql`
    insert into public.namdong_generation (datetime, plant_name, hogi, hour, generation, generation_filled, fill_method, run_id)
    select g.datetime, g.plant_name, g.hogi, extract(hour from g.datetime at time zone 'Asia/Seoul')::int + 1,
           g.generation, g.generation_filled, g.fill_method, 'bench'
    from (${pvSelect("plant_name")} where ps.operator = 'koen') g`;
  // Weather: every station the plants use, tm from start 00:00 to end+1 00:00 (the last PV hour's
  // observation), ~2 % of each field missing and filled linearly, icsr NULL at night.
  await sql`
    insert into public.weather_asos (datetime, stn_id, station_name, ta, rn, ws, wd, hm, pv, td, pa, ps, ss, icsr,
      dc10_tca, dc10_lmcs_ca, lcs_ch, vs, ts, dsnw, ta_filled, hm_filled, ps_filled, pa_filled, td_filled,
      rn_filled, ss_filled, icsr_filled, fill_methods, run_id)
    select h, s.stn_id, s.station_name,
           case when r1 < 0.02 then null else t end, case when r2 < 0.9 then null else round((r2 * 3)::numeric, 1)::float8 end,
           round((r3 * 6)::numeric, 1)::float8, round((r1 * 360)::numeric)::float8,
           case when r2 < 0.02 then null else hmv end, round((r3 * 20)::numeric, 1)::float8, t - 5, 1000 + r3 * 20, 1010 + r3 * 15,
           case when night then 0 else round(r4::numeric, 1)::float8 end,
           case when night or not s.has_solar_sensor then null when r4 < 0.02 then null else round((r4 * 3)::numeric, 2)::float8 end,
           round((r3 * 10)::numeric)::float8, round((r2 * 10)::numeric)::float8, 10, 2000, t + 2, null,
           t, hmv, 1010 + r3 * 15, 1000 + r3 * 20, t - 5, null, case when night then 0 else round(r4::numeric, 1)::float8 end,
           case when night or not s.has_solar_sensor then null else round((r4 * 3)::numeric, 2)::float8 end,
           jsonb_build_object('ta', case when r1 < 0.02 then 'linear' else 'measured' end,
                              'hm', case when r2 < 0.02 then 'linear' else 'measured' end,
                              'ps', 'measured', 'pa', 'measured', 'td', 'measured', 'ss', 'measured')
             || case when night or not s.has_solar_sensor then '{}'::jsonb
                     else jsonb_build_object('icsr', case when r4 < 0.02 then 'linear' else 'measured' end) end,
           'bench'
    from (select distinct st.stn_id, st.station_name, st.has_solar_sensor
          from public.plant_station ps cross join lateral (values (ps.stn_id), (ps.solar_stn_id)) v(id)
          join public.asos_stations st on st.stn_id = v.id) s
    cross join generate_series(${from}::timestamptz, ${to}::timestamptz + interval '24 hours', interval '1 hour') h
    cross join lateral (select abs(hashtext(s.stn_id || 'a' || h::text)) / 2147483647.0 as r1,
                               abs(hashtext(s.stn_id || 'b' || h::text)) / 2147483647.0 as r2,
                               abs(hashtext(s.stn_id || 'c' || h::text)) / 2147483647.0 as r3,
                               abs(hashtext(s.stn_id || 'd' || h::text)) / 2147483647.0 as r4,
                               extract(hour from h at time zone 'Asia/Seoul')::int as hr) r
    cross join lateral (select r.hr < 7 or r.hr > 19 as night,
                               round((15 + 10 * sin(pi() * (r.hr - 9) / 12) + r.r3 * 3)::numeric, 1)::float8 as t,
                               round((40 + r.r2 * 50)::numeric)::float8 as hmv) w`;
  // Materialized partitions with data versions, as ingest records them.
  await sql`
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
  await sql`analyze public.nambu_generation`;
  await sql`analyze public.namdong_generation`;
  await sql`analyze public.weather_asos`;
  await sql`analyze ops.asset_partitions`;
  const [c] = await sql<{ pv: number; w: number; p: number }[]>`
    select (select count(*) from public.nambu_generation)::int + (select count(*) from public.namdong_generation)::int as pv,
           (select count(*) from public.weather_asos)::int as w, (select count(*) from ops.asset_partitions)::int as p`;
  return { pvRows: c.pv, weatherRows: c.w, partitions: c.p };
}
