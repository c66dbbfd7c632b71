// The one statement that runs every subject check of a chunk and records the outcome: it reads the
// chunk's rows once through the serving table's primary key (unit columns = each unit, datetime
// between constant bounds), judges every subject in each check's set-based SQL, and inserts one
// evaluation per (partition, check) plus a row per failing subject. Cost follows the chunk's rows,
// never the table's size (a test EXPLAINs it; the bench measures it at 0.1 M and 3 M rows).
//
// Parameters: $1 subjects (jsonb text), $2 / $3 the chunk's first instant and the instant after it,
// $4 the first instant of the look-back (= $2 without one), $5 the checks (ci, check_name, severity,
// blocking), $6 asset, $7 the units judged when limited (jsonb array text, or null), $8 run id.
import type { SubjectCheckSpec } from "./check_spec.ts";
import { type FillModel } from "./fill_model.ts";
import { ident, qualifiedName } from "../sources/serving_table.ts";
import { unitRangeCondition } from "./unit_range_sql.ts";

/** The serving-table columns as `h` exposes them: PV `v`/`dt`; weather the declared fields. */
function rowColumns(m: FillModel, checks: readonly SubjectCheckSpec[]): string[] {
  if (m.kind === "pv") {
    return [`x.${ident(m.valueColumn)}::float8 as v`, `${m.dailyTotalColumn ? `x.${ident(m.dailyTotalColumn)}::float8` : "null::float8"} as dt`];
  }
  const fields = [...new Set(checks.flatMap((c) => c.columns ?? []))].sort();
  return fields.map((f) => `x.${ident(f)}::float8 as ${ident(f)}`);
}

/** The rows of each unit in [from, to), through the primary key (unit_range_sql.ts); OFFSET 0 keeps the lateral a loop over the units. */
function unitRows(m: FillModel, checks: readonly SubjectCheckSpec[], from: string, to: string): string {
  const ids = m.unit.columns.map(ident);
  const cols = rowColumns(m, checks);
  return `select ${ids.map((c) => `u.${c}`).join(", ")}, rw.*
    from u cross join lateral (
      select x.datetime, (x.datetime at time zone 'Asia/Seoul')::date as day,
             extract(hour from x.datetime at time zone 'Asia/Seoul')::int as hr${cols.length ? `, ${cols.join(", ")}` : ""}
      from ${qualifiedName(m.table)} x
      where ${unitRangeCondition(m.unit.columns, "x", "u", from, to)}
      offset 0
    ) rw`;
}

export function chunkChecksSql(m: FillModel, checks: readonly SubjectCheckSpec[]): string {
  if (checks.length === 0) throw new Error("chunkChecksSql needs at least one check");
  const ids = m.unit.columns.map(ident);
  const idDefs = m.unit.columns.map((c, i) => `${ident(c)} ${m.unit.types[i]}`).join(", ");
  const lookback = Math.max(0, ...checks.map((c) => c.lookbackDays ?? 0));
  const checkCtes = checks.map((c, i) => `c${i} as (${c.sql(m)})`).join(",\n  ");
  const union = checks.map((_, i) => `select ${i} as ci, sid, passed, value::float8 as value, message from c${i}`).join("\n    union all ");
  return `with s as materialized (
    select * from jsonb_to_recordset($1::text::jsonb) as s(sid int, partition text, day date, unit text, ${idDefs},
      capacity_kw float8, sunrise timestamptz, sunset timestamptz)
  ), u as materialized (
    select distinct ${ids.join(", ")} from s
  ), h as materialized (
    -- Every row of the chunk's units and days; sid is null on a day that is not judged (e.g. a failed partition).
    select s.sid, ur.* from (${unitRows(m, checks, "$2::timestamptz", "$3::timestamptz")}) ur
    left join s on ${ids.map((c) => `s.${c} = ur.${c}`).join(" and ")} and s.day = ur.day
  ), hist as materialized (
    ${lookback > 0 ? unitRows(m, checks, "$4::timestamptz", "$2::timestamptz") : `select * from h where false`}
  ),
  ${checkCtes},
  r as materialized (
    ${union}
  ), meta as (
    select * from jsonb_to_recordset($5::text::jsonb) as m(ci int, check_name text, severity text, blocking boolean)
  ), summary as (
    select r.ci, s.partition, count(*)::int as subjects, count(*) filter (where r.passed)::int as passed,
           min(s.day) as day_from, max(s.day) as day_to
    from r join s using (sid) group by r.ci, s.partition
  ), ev as (
    insert into ops.check_evaluations (asset, partition, check_name, severity, blocking, units, subjects, passed, day_from, day_to, run_id, checked_at)
    select $6, x.partition, m.check_name, m.severity, m.blocking, (select array_agg(e.v) from jsonb_array_elements_text($7::text::jsonb) as e(v)), x.subjects, x.passed, x.day_from, x.day_to, $8, ops.clock_now()
    from summary x join meta m using (ci)
    returning id, partition, check_name
  ), failed as (
    insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, value, message, run_id, day, unit, evaluation_id, checked_at)
    select $6, s.partition, m.check_name, false, m.severity, m.blocking,
           case when r.value in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) then null else r.value end,
           r.message, $8, s.day, s.unit, ev.id, ops.clock_now()
    from r join s using (sid) join meta m using (ci) join ev on ev.partition = s.partition and ev.check_name = m.check_name
    where not r.passed
    returning partition, check_name, to_char(day, 'YYYY-MM-DD') as day, unit, severity, blocking, value, message
  )
  select 'failure' as kind, partition, check_name, day, unit, severity, blocking, value, message, null::int as subjects, null::int as passed
  from failed
  union all
  -- The caller only adds these up: one row for the chunk, not one per partition and check.
  select 'summary', null, null, null, null, null, null, null, null, sum(x.subjects)::int, sum(x.passed)::int
  from summary x`;
}
