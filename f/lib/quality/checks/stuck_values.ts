// stuck_values: the same non-zero measured value many hours running (a frozen meter, or the
// ESS-like plants of DOMAIN §5.4 pinned at rated output). value = the longest run, in hours.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";
import { num } from "./common.ts";

export function stuckValues(o: { minHours: number } = { minHours: 4 }): AssetCheckSpec {
  const n = Number(o.minHours);
  return pvCheck({ name: "stuck_values", severity: "warn", blocking: false, description: `no non-zero value repeated ${n} hours running` }, (m) => {
    return `with x as (
        select sid, datetime, v,
               datetime - (row_number() over (partition by sid, v order by datetime)) * interval '1 hour' as grp
        from h where h.v is not null and h.v <> 0
      ), runs as (
        select sid, v, count(*)::int as len, min(datetime) as first from x group by sid, v, grp
      ), best as (
        select distinct on (sid) sid, v, len, first from runs order by sid, len desc, first
      )
      select s.sid, coalesce(b.len, 0) < ${n} as passed, coalesce(b.len, 0)::float8 as value,
        case when coalesce(b.len, 0) < ${n} then 'no value repeated ${n} hours running'
             else ${num("b.v", 3)} || ' kWh ' || b.len || ' hours running from '
                  || to_char(b.first at time zone 'Asia/Seoul', 'HH24:MI') end as message
      from s left join best b using (sid)`;
  });
}
