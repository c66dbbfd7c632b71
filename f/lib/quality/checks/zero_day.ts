// zero_day: a day whose measured hours are all 0 — "zero disguised as missing" (DOMAIN §5.4,
// 삼천포태양광#6 from 2025-10; pitfall 16). Needs enough measured hours to say so. value = measured hours.
import type { PvImputePolicy } from "../policies.ts";
import { pvHours } from "./common.ts";

export function zeroDaySql(p: PvImputePolicy, minHours: number): string {
  return `with ${pvHours(p)}, agg as (
      select partition, day, unit, count(h.v)::int as n, max(abs(h.v)) as vmax
      from h group by partition, day, unit
    )
    select partition, day, unit, not coalesce(n >= ${Number(minHours)} and vmax = 0, false) as passed, n::float8 as value,
      case when coalesce(n >= ${Number(minHours)} and vmax = 0, false) then 'all ' || n || ' measured hours are 0 (zero disguised as missing?)'
           when n = 0 then 'no measured hours'
           else 'generation measured' end as message
    from agg`;
}
