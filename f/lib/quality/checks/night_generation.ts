// night_generation: measured generation in an hour whose whole interval has the sun below the
// horizon at the plant (before sunrise / after sunset, from suncalc, passed in as s.sunrise and
// s.sunset). A broken meter (DOMAIN §5.4: a day's energy in label 24) or a shifted clock shows
// here. value = kWh measured at night. Plant-days without coordinates are not judged.
import type { PvImputePolicy } from "../policies.ts";
import { num, pvHours } from "./common.ts";

export function nightGenerationSql(p: PvImputePolicy, toleranceKwh: number): string {
  const night = `(h.datetime + interval '1 hour' <= h.sunrise or h.datetime >= h.sunset)`;
  const bad = `(${night} and h.v > ${Number(toleranceKwh)})`;
  return `with ${pvHours(p)}, agg as (
      select partition, day, unit,
             coalesce(sum(h.v) filter (where ${bad}), 0) as kwh,
             count(*) filter (where ${bad})::int as n,
             string_agg(lpad(h.hr::text, 2, '0') || ':00', ', ' order by h.hr) filter (where ${bad}) as hours,
             min(h.sunrise) as sunrise, min(h.sunset) as sunset
      from h where h.sunrise is not null
      group by partition, day, unit
    )
    select partition, day, unit, n = 0 as passed, kwh as value,
      case when n = 0 then 'no generation while the sun is down'
           else ${num("kwh", 3)} || ' kWh measured in ' || n || ' night hour' || case when n > 1 then 's' else '' end
                || ' (' || hours || '; sun up ' || coalesce(to_char(sunrise at time zone 'Asia/Seoul', 'HH24:MI'), '-')
                || '–' || coalesce(to_char(sunset at time zone 'Asia/Seoul', 'HH24:MI'), '-') || ' KST)'
      end as message
    from agg`;
}
