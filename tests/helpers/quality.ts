// Crafted serving-table rows for the quality tests, written the way ingest writes them (measured
// value → generation_filled and fill_method 'measured', NULL → 'none') and recorded as materialized.
import type { Sql } from "../../f/lib/db/resource.ts";
import { recordMaterializations } from "../../f/lib/store/record_materializations.ts";
import { addDays, kstMidnight } from "../../f/lib/time/kst.ts";

export const at = (day: string, hour: number): Date => new Date(kstMidnight(day).getTime() + hour * 3_600_000);

/** One KOSPO unit-day as stored, hour by hour (0 = 00:00 KST): measured, filled and the fill's method. */
export async function kospoRowsOf(sql: Sql, unit: string, day: string) {
  const [gencd, hogi] = [unit.slice(0, unit.lastIndexOf("-")), Number(unit.slice(unit.lastIndexOf("-") + 1))];
  return sql<{ h: number; generation: number | null; generation_filled: number | null; fill_method: string }[]>`
    select extract(hour from datetime at time zone 'Asia/Seoul')::int as h, generation, generation_filled, fill_method
    from nambu_generation where gencd = ${gencd} and hogi = ${hogi}
      and datetime >= ${at(day, 0)} and datetime < ${at(addDays(day, 1), 0)} order by datetime`;
}

/** One KOSPO unit-day: 24 values (null = not measured), daily total Σ unless given. */
export async function putKospoDay(sql: Sql, unit: string, day: string, values: (number | null)[], dailyTotal?: number | null): Promise<void> {
  const i = unit.lastIndexOf("-");
  const gencd = unit.slice(0, i);
  const hogi = Number(unit.slice(i + 1));
  const total = dailyTotal === undefined ? values.reduce<number>((a, b) => a + (b ?? 0), 0) : dailyTotal;
  const rows = values.map((v, h) => ({
    datetime: at(day, h).toISOString(),
    gencd,
    hogi,
    generation: v,
    daily_total: total,
    generation_filled: v,
    fill_method: v === null ? "none" : "measured",
  }));
  await sql`
    insert into public.nambu_generation (datetime, gencd, hogi, generation, daily_total, generation_filled, fill_method, run_id)
    select datetime, gencd, hogi, generation, daily_total, generation_filled, fill_method, 'test'
    from jsonb_to_recordset(${sql.json(rows as never)}::jsonb) as t(datetime timestamptz, gencd text, hogi int,
      generation float8, daily_total float8, generation_filled float8, fill_method text)
    on conflict (gencd, hogi, datetime) do update set generation = excluded.generation, daily_total = excluded.daily_total,
      generation_filled = excluded.generation_filled, fill_method = excluded.fill_method`;
  await markMaterialized(sql, "kospo/hourly", [`${day}|${unit}`]);
}

export async function markMaterialized(sql: Sql, asset: string, partitions: string[], status: "success" | "empty" = "success"): Promise<void> {
  await recordMaterializations(
    sql,
    "test",
    partitions.map((partition) => ({ asset, partition, status, rowCount: 24, dataVersion: null, codeVersion: "1" })),
  );
}

/** ASOS rows of a station: hour instant → field values (missing key = NULL), written as ingest does. */
export async function putWeather(sql: Sql, stn: number, rows: { t: Date; values: Record<string, number | null> }[]): Promise<void> {
  const fields = ["ta", "hm", "ps", "pa", "td", "ws", "rn", "ss", "icsr"];
  const payload = rows.map((r) => {
    const v = Object.fromEntries(fields.map((f) => [f, r.values[f] ?? null]));
    return {
      datetime: r.t.toISOString(),
      stn_id: stn,
      ...v,
      ...Object.fromEntries(fields.map((f) => [`${f}_filled`, v[f]])),
      fill_methods: Object.fromEntries(fields.filter((f) => v[f] !== null).map((f) => [f, "measured"])),
    };
  });
  await sql`
    insert into public.weather_asos (datetime, stn_id, ta, hm, ps, pa, td, ws, rn, ss, icsr,
      ta_filled, hm_filled, ps_filled, pa_filled, td_filled, ws_filled, rn_filled, ss_filled, icsr_filled, fill_methods, run_id)
    select datetime, stn_id, ta, hm, ps, pa, td, ws, rn, ss, icsr,
      ta_filled, hm_filled, ps_filled, pa_filled, td_filled, ws_filled, rn_filled, ss_filled, icsr_filled, fill_methods, 'test'
    from jsonb_to_recordset(${sql.json(payload as never)}::jsonb) as t(datetime timestamptz, stn_id int,
      ta float8, hm float8, ps float8, pa float8, td float8, ws float8, rn float8, ss float8, icsr float8,
      ta_filled float8, hm_filled float8, ps_filled float8, pa_filled float8, td_filled float8, ws_filled float8, rn_filled float8,
      ss_filled float8, icsr_filled float8, fill_methods jsonb)`;
}

/** KOEN unit-days (namdong_generation): 24 values each (null = not measured), daily total Σ; not marked materialized. */
export async function putKoenDays(sql: Sql, rows: { plant: string; hogi: number; day: string; values: (number | null)[] }[]): Promise<void> {
  const payload = rows.flatMap((r) => {
    const total = r.values.reduce<number>((a, b) => a + (b ?? 0), 0);
    return r.values.map((v, h) => ({
      datetime: at(r.day, h).toISOString(),
      plant_name: r.plant,
      hogi: r.hogi,
      hour: h + 1,
      generation: v,
      daily_total: total,
      generation_filled: v,
      fill_method: v === null ? "none" : "measured",
    }));
  });
  await sql`
    insert into public.namdong_generation (datetime, plant_name, hogi, hour, generation, daily_total, generation_filled, fill_method, run_id)
    select datetime, plant_name, hogi, hour, generation, daily_total, generation_filled, fill_method, 'test'
    from jsonb_to_recordset(${sql.json(payload as never)}::jsonb) as t(datetime timestamptz, plant_name text, hogi int, hour int,
      generation float8, daily_total float8, generation_filled float8, fill_method text)
    on conflict (plant_name, hogi, datetime) do update set generation = excluded.generation, daily_total = excluded.daily_total,
      generation_filled = excluded.generation_filled, fill_method = excluded.fill_method`;
}
