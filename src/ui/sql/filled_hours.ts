// Hours per unit and day (or month) in a window of a serving table: how many rows, how many were
// filled by impute rather than measured, and how many are still without a value. One query per
// table, chosen by the asset's fill policy (constant table names: no SQL text is built).
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface FilledHours {
  /** Day 'YYYY-MM-DD', or the month's first day for a monthly grain. */
  period: string;
  unit: string;
  hours: number;
  filled: number;
  unfilled: number;
}

export type Grain = "day" | "month";

/** The serving tables the UI knows how to read; others show no filled share. */
export const FILLED_TABLES = ["public.nambu_generation", "public.namdong_generation", "public.weather_asos"] as const;

export async function filledHours(sql: Sql, o: { table: string; grain: Grain; start: string; end: string }): Promise<FilledHours[]> {
  const from = sql`${o.start}::date::timestamp at time zone 'Asia/Seoul'`;
  const to = sql`(${o.end}::date + 1)::timestamp at time zone 'Asia/Seoul'`;
  const period = sql`to_char(date_trunc(${o.grain}, datetime at time zone 'Asia/Seoul'), 'YYYY-MM-DD')`;
  switch (o.table) {
    case "public.nambu_generation":
      return sql<FilledHours[]>`
        select ${period} as period, gencd || '-' || hogi as unit, count(*)::int as hours,
               count(*) filter (where fill_method not in ('measured', 'none'))::int as filled,
               count(*) filter (where generation_filled is null)::int as unfilled
        from public.nambu_generation where datetime >= ${from} and datetime < ${to}
        group by 1, 2`;
    case "public.namdong_generation":
      return sql<FilledHours[]>`
        select ${period} as period, plant_name || '-' || hogi as unit, count(*)::int as hours,
               count(*) filter (where fill_method not in ('measured', 'none'))::int as filled,
               count(*) filter (where generation_filled is null)::int as unfilled
        from public.namdong_generation where datetime >= ${from} and datetime < ${to}
        group by 1, 2`;
    case "public.weather_asos":
      // An hour counts as filled when any field's value came from impute.
      return sql<FilledHours[]>`
        select ${period} as period, stn_id::text as unit, count(*)::int as hours,
               count(*) filter (where exists (select 1 from jsonb_each_text(fill_methods) f where f.value not in ('measured', 'none')))::int as filled,
               count(*) filter (where ta_filled is null)::int as unfilled
        from public.weather_asos where datetime >= ${from} and datetime < ${to}
        group by 1, 2`;
    default:
      return [];
  }
}
