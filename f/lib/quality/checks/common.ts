// What every partition check shares. The runner (run_checks.ts) passes the subjects it judges
// (unit-days inside partitions, numbered `sid`) as one jsonb parameter ($1) and, once per slice,
// copies their hourly rows into a temporary table (`h`: sid, datetime, hr = KST hour, and the
// columns the checks read), so each check is one aggregate over a small table grouped by an
// integer. Each check module returns one SQL text yielding, per subject,
//   (partition text, day date, unit text, passed boolean, value float8, message text);
// a subject the check cannot judge (e.g. no coordinates for night detection) yields no row.
import { ident, qualifiedName, type ImputePolicy, type PvImputePolicy } from "../policies.ts";

export type Severity = "warn" | "error";

/** One unit-day a check judges, as passed to SQL. */
export interface Subject {
  sid: number;
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

export const HOURS_TABLE = "quality_hours";

function subjectsDef(p: ImputePolicy): string {
  const ids = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  return `jsonb_to_recordset($1::text::jsonb) as s(sid int, partition text, day date, unit text, ${ids},
        capacity_kw float8, sunrise timestamptz, sunset timestamptz)`;
}

/**
 * The temporary table of the slice's hourly rows: only rows of the slice ($2 ≤ datetime < $3),
 * each subject's own KST day fetched through the serving table's primary key (unit columns,
 * datetime), so the cost follows the subjects, not the table's size.
 */
export function hoursTableSql(p: ImputePolicy, columns: string): string {
  const join = p.unit.columns.map((c) => `g.${ident(c)} = s.${ident(c)}`).join(" and ");
  return `create temporary table ${HOURS_TABLE} on commit drop as
    select s.sid, g.datetime, extract(hour from g.datetime at time zone 'Asia/Seoul')::int as hr, ${columns}
    from ${subjectsDef(p)}
    join ${qualifiedName(p.table)} g
      on ${join}
     and g.datetime >= greatest($2::timestamptz, s.day::timestamp at time zone 'Asia/Seoul')
     and g.datetime < least($3::timestamptz, (s.day + 1)::timestamp at time zone 'Asia/Seoul')`;
}

/** PV rows: v = measured generation, dt = the source's daily total. */
export function pvHourColumns(p: PvImputePolicy): string {
  return `g.${ident(p.valueColumn)}::float8 as v, ${p.dailyTotalColumn ? `g.${ident(p.dailyTotalColumn)}::float8` : "null::float8"} as dt`;
}

/** Weather rows: the given fields, measured. */
export function weatherHourColumns(fields: readonly string[]): string {
  return fields.map((f) => `g.${ident(f)}::float8 as ${ident(f)}`).join(", ");
}

/** `s` (the subjects) and `h` (their rows; a subject without rows has none). */
export function subjectsCte(p: ImputePolicy): string {
  return `s as (select * from ${subjectsDef(p)}), h as (select * from ${HOURS_TABLE})`;
}

/** SQL: a number as text with at most `d` decimals (1234.5, 0.25). */
export const num = (expr: string, d = 1): string => `trim_scale(round((${expr})::numeric, ${d}))::text`;

/** SQL: an hour `hr` as its interval `15:00–16:00`. */
export const hourSpan = (hr: string): string => `lpad((${hr})::text, 2, '0') || ':00–' || lpad(((${hr}) + 1)::text, 2, '0') || ':00'`;
