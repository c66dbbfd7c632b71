// night_generation: measured generation in an hour whose whole interval has the sun below the
// horizon at the plant (before sunrise / after sunset, from suncalc, passed in as s.sunrise and
// s.sunset). A broken meter (DOMAIN §5.4: a day's energy in label 24) or a shifted clock shows
// here. value = kWh measured at night. Plant-days without coordinates are not judged.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";
import { num } from "./common.ts";

export function nightGeneration(o: { toleranceKwh: number } = { toleranceKwh: 0 }): AssetCheckSpec {
  return pvCheck({ name: "night_generation", severity: "error", blocking: false, description: "no generation measured while the sun is below the horizon" }, (m) => {
    const bad = `((h.datetime + interval '1 hour' <= s.sunrise or h.datetime >= s.sunset) and h.v > ${Number(o.toleranceKwh)})`;
    return `with agg as (
        select h.sid, sum(h.v) as kwh, count(*)::int as n, string_agg(lpad(h.hr::text, 2, '0') || ':00', ', ' order by h.hr) as hours
        from h join s using (sid) where ${bad}
        group by h.sid
      )
      select s.sid, a.sid is null as passed, coalesce(a.kwh, 0) as value,
        case when a.sid is null then 'no generation while the sun is down'
             else ${num("a.kwh", 3)} || ' kWh measured in ' || a.n || ' night hour' || case when a.n > 1 then 's' else '' end
                  || ' (' || a.hours || '; sun up ' || coalesce(to_char(s.sunrise at time zone 'Asia/Seoul', 'HH24:MI'), '-')
                  || '–' || coalesce(to_char(s.sunset at time zone 'Asia/Seoul', 'HH24:MI'), '-') || ' KST)'
        end as message
      from s left join agg a using (sid)
      where s.sunrise is not null`;
  });
}
