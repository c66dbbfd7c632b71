// zero_day: a day whose measured hours are all 0 — "zero disguised as missing" (DOMAIN §5.4,
// 삼천포태양광#6 from 2025-10; pitfall 16). Needs enough measured hours to say so. value = measured hours.
import type { PvImputePolicy } from "../policies.ts";
import { subjectsCte } from "./common.ts";

export function zeroDaySql(p: PvImputePolicy, minHours: number): string {
  const fires = `coalesce(n >= ${Number(minHours)} and vmax = 0, false)`;
  return `with ${subjectsCte(p)}, agg as (
      select sid, count(h.v)::int as n, max(abs(h.v)) as vmax from h group by sid
    ), x as (select s.partition, s.day, s.unit, coalesce(a.n, 0) as n, a.vmax from s left join agg a using (sid))
    select partition, day, unit, not ${fires} as passed, n::float8 as value,
      case when ${fires} then 'all ' || n || ' measured hours are 0 (zero disguised as missing?)'
           when n = 0 then 'no measured hours'
           else 'generation measured' end as message
    from x`;
}
