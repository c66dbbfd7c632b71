// completeness: every hour of a unit-day is there — 24 measured hourly values per plant-day (PV),
// 24 observation rows per station-day (weather). value = hours present.
import type { AssetCheckSpec } from "../check_spec.ts";
import type { FillModel } from "../fill_model.ts";

function completenessSql(p: FillModel): string {
  // PV: a row whose value is NULL is an hour the source left empty; weather: a missing row is a missing hour.
  const present = p.kind === "pv" ? "h.v is not null" : "true";
  const what = p.kind === "pv" ? "hours measured" : "hourly observations";
  return `with agg as (
      select sid, count(distinct hr) filter (where ${present})::int as n,
             array_agg(hr) filter (where ${present}) as present
      from h group by sid
    )
    select s.sid, coalesce(a.n, 0) >= 24 as passed, coalesce(a.n, 0)::float8 as value,
      case
        when coalesce(a.n, 0) >= 24 then '24/24 ${what}'
        when coalesce(a.n, 0) = 0 then 'no ${what} for this day (0/24)'
        else a.n || '/24 ${what}; missing ' || (
          select string_agg(lpad(x::text, 2, '0') || ':00', ', ' order by x)
          from generate_series(0, 23) x where x <> all(a.present))
      end as message
    from s left join agg a using (sid)`;
}

export const completeness = (): AssetCheckSpec => ({
  kind: "subject",
  name: "completeness",
  severity: "warn",
  blocking: false,
  description: "24 measured hourly values per plant-day (24 observations per station-day)",
  fits: () => null,
  sql: completenessSql,
});
