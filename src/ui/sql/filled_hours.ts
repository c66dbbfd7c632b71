// Hours per unit and day (or month) in a window of a serving table: how many rows, how many were
// filled by impute rather than measured, and how many are still without a value. The table and its
// columns come from the asset's fill model (constants of the declarations), bound as identifiers.
import type { Sql } from "../../../f/lib/db/resource.ts";
import type { FillModel } from "../../../f/lib/quality/fill_model.ts";

export interface FilledHours {
  /** Day 'YYYY-MM-DD', or the month's first day for a monthly grain. */
  period: string;
  unit: string;
  hours: number;
  filled: number;
  unfilled: number;
}

export type Grain = "day" | "month";

export async function filledHours(sql: Sql, m: FillModel, o: { grain: Grain; start: string; end: string }): Promise<FilledHours[]> {
  const from = sql`${o.start}::date::timestamp at time zone 'Asia/Seoul'`;
  const to = sql`(${o.end}::date + 1)::timestamp at time zone 'Asia/Seoul'`;
  const period = sql`to_char(date_trunc(${o.grain}, datetime at time zone 'Asia/Seoul'), 'YYYY-MM-DD')`;
  const [first, ...rest] = m.unit.columns;
  const unit = rest.reduce((acc, c) => sql`${acc} || '-' || ${sql(c)}`, sql`${sql(first)}::text`);
  // PV: an hour is filled when its method is a fill; weather: when any field's value came from impute.
  const filled =
    m.kind === "pv"
      ? sql`${sql(m.methodColumn)} not in ('measured', 'none')`
      : sql`exists (select 1 from jsonb_each_text(${sql(m.methodsColumn)}) f where f.value not in ('measured', 'none'))`;
  const unfilled = m.kind === "pv" ? sql(m.filledColumn) : sql(`${m.fields[0].field}${m.filledSuffix}`);
  return sql<FilledHours[]>`
    select ${period} as period, ${unit} as unit, count(*)::int as hours,
           count(*) filter (where ${filled})::int as filled,
           count(*) filter (where ${unfilled} is null)::int as unfilled
    from ${sql(m.table)} where datetime >= ${from} and datetime < ${to}
    group by 1, 2`;
}
