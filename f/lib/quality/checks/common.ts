// What every partition check shares: the subjects it judges (unit-days inside partitions) arrive
// as one jsonb parameter ($1), joined to the serving table's rows of that day through its key.
// Each check module returns one SQL text yielding, per subject,
//   (partition text, day date, unit text, passed boolean, value float8, message text);
// a subject the check cannot judge (e.g. no coordinates for night detection) yields no row.
import { ident, qualifiedName, type ImputePolicy, type PvImputePolicy, type WeatherImputePolicy } from "../policies.ts";

export type Severity = "warn" | "error";

/** One unit-day a check judges, as passed to SQL. */
export interface Subject {
  partition: string;
  day: string;
  unit: string;
  /** Identity columns of the unit (gencd/hogi, plant_name/hogi, stn_id). */
  [id: string]: string | number | null;
  capacity_kw: number | null;
  /** Sunrise/sunset as ISO instants ('infinity' / '-infinity' at polar day or night); null without coordinates. */
  sunrise: string | null;
  sunset: string | null;
}

export interface CheckRow {
  partition: string;
  day: string | null;
  unit: string | null;
  passed: boolean;
  value: number | null;
  message: string;
}

/**
 * `s` (the subjects) and `h` (their rows of that day, one per hour present; none → one row of NULLs).
 * $2/$3 bound the whole slice, so any plan reads only the slice's rows, which are joined to their
 * subject on (unit, KST day) — an equality, so one hash probe per row.
 */
export function subjectsCte(p: ImputePolicy, rowColumns: string): string {
  const ids = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const join = p.unit.columns.map((c) => `g.${ident(c)} = s.${ident(c)}`).join(" and ");
  return `s as (
      select * from jsonb_to_recordset($1::text::jsonb) as s(partition text, day date, unit text, ${ids},
        capacity_kw float8, sunrise timestamptz, sunset timestamptz)
    ), h as (
      select s.partition, s.day, s.unit, s.capacity_kw, s.sunrise, s.sunset, g.datetime,
             extract(hour from g.datetime at time zone 'Asia/Seoul')::int as hr${rowColumns ? `, ${rowColumns}` : ""}
      from s left join (
        select *, (datetime at time zone 'Asia/Seoul')::date as kst_day from ${qualifiedName(p.table)}
        where datetime >= $2::timestamptz and datetime < $3::timestamptz
      ) g on ${join} and g.kst_day = s.day
    )`;
}

/** PV rows: v = measured generation, dt = the source's daily total. */
export function pvHours(p: PvImputePolicy): string {
  return subjectsCte(p, `g.${ident(p.valueColumn)}::float8 as v, ${p.dailyTotalColumn ? `g.${ident(p.dailyTotalColumn)}::float8` : "null::float8"} as dt`);
}

/** Weather rows: every policy field, measured. */
export function weatherHours(p: WeatherImputePolicy, fields: readonly string[]): string {
  return subjectsCte(p, fields.map((f) => `g.${ident(f)}::float8 as ${ident(f)}`).join(", "));
}

/** SQL: a number as text with at most `d` decimals (1234.5, 0.25). */
export const num = (expr: string, d = 1): string => `trim_scale(round((${expr})::numeric, ${d}))::text`;

/** SQL: an hour `hr` as its interval `15:00–16:00`. */
export const hourSpan = (hr: string): string => `lpad((${hr})::text, 2, '0') || ':00–' || lpad(((${hr}) + 1)::text, 2, '0') || ':00'`;
