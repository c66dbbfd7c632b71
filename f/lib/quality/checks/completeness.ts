// completeness: every hour of a unit-day is there — 24 measured hourly values per plant-day (PV),
// 24 observation rows per station-day (weather). value = hours present.
import type { ImputePolicy } from "../policies.ts";
import { pvHours, weatherHours } from "./common.ts";

export function completenessSql(p: ImputePolicy): string {
  const cte = p.kind === "pv" ? pvHours(p) : weatherHours(p, []);
  // PV: a row whose value is NULL is an hour the source left empty; weather: a missing row is a missing hour.
  const present = p.kind === "pv" ? "h.v is not null" : "h.datetime is not null";
  const what = p.kind === "pv" ? "hours measured" : "hourly observations";
  return `with ${cte}, agg as (
      select partition, day, unit,
             count(distinct h.hr) filter (where ${present})::int as n,
             coalesce(array_agg(h.hr) filter (where ${present}), '{}') as present
      from h group by partition, day, unit
    )
    select partition, day, unit, n >= 24 as passed, n::float8 as value,
      case
        when n >= 24 then '24/24 ${what}'
        when n = 0 then 'no ${what} for this day (0/24)'
        else n || '/24 ${what}; missing ' || (
          select string_agg(lpad(x::text, 2, '0') || ':00', ', ' order by x)
          from generate_series(0, 23) x where x <> all(agg.present))
      end as message
    from agg`;
}
