// zero_day: a day whose measured hours are all 0 — "zero disguised as missing" (DOMAIN §5.4,
// 삼천포태양광#6 from 2025-10; pitfall 16). Needs enough measured hours to say so. value = measured hours.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";

export function zeroDay(o: { minHours: number } = { minHours: 12 }): AssetCheckSpec {
  const fires = `coalesce(n >= ${Number(o.minHours)} and vmax = 0, false)`;
  return pvCheck({ name: "zero_day", severity: "warn", blocking: false, description: "not every measured hour 0 (zero disguised as missing)" }, (m) => {
    return `with agg as (
        select sid, count(h.v)::int as n, max(abs(h.v)) as vmax from h group by sid
      ), x as (select s.sid, coalesce(a.n, 0) as n, a.vmax from s left join agg a using (sid))
      select sid, not ${fires} as passed, n::float8 as value,
        case when ${fires} then 'all ' || n || ' measured hours are 0 (zero disguised as missing?)'
             when n = 0 then 'no measured hours'
             else 'generation measured' end as message
      from x`;
  });
}
