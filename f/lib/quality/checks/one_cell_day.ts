// one_cell_day: (nearly) all of a day's energy in one hour cell — the broken plants of DOMAIN §5.4
// (여수 label 24, 탑선 label N) and the simulator's 997S-1 (label 16). value = the largest hour's
// share of the day's total.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";
import { hourSpan, num } from "./common.ts";

export function oneCellDay(o: { share: number; minDailyKwh: number } = { share: 0.95, minDailyKwh: 1 }): AssetCheckSpec {
  const fires = `coalesce(total >= ${Number(o.minDailyKwh)} and vmax >= ${Number(o.share)} * total, false)`;
  return pvCheck({ name: "one_cell_day", severity: "error", blocking: false, description: `no hour with ≥ ${o.share * 100}% of the day's energy (a day's total in one cell)` }, (m) => {
    return `with agg as (
        select sid, sum(h.v) filter (where h.v > 0) as total, max(h.v) as vmax,
               (array_agg(h.hr order by h.v desc) filter (where h.v is not null))[1] as hmax
        from h group by sid
      ), x as (select s.sid, a.total, a.vmax, a.hmax from s left join agg a using (sid))
      select sid, not ${fires} as passed,
        case when total > 0 then vmax / total end as value,
        case
          when total is null or total = 0 then 'no energy measured'
          when ${fires} then
            ${num("100 * vmax / total")} || '% of the day''s ' || ${num("total", 3)} || ' kWh in one hour (' || ${hourSpan("hmax")}
            || ', label ' || (hmax + 1) || ')'
          else 'largest hour ' || ${num("100 * vmax / total")} || '% of the day''s ' || ${num("total", 3)} || ' kWh'
        end as message
      from x`;
  });
}
