// daily_total: the source's daily total (KOSPO qvodgen, KOEN 합계) against the sum of its hourly
// values (Σ qhorgen), compared only on days with all 24 hours measured; the tolerance is the larger
// of an absolute and a relative one (values arrive rounded, some as float32: DOMAIN §9.35).
// value = daily total − Σ hours.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";
import { num } from "./common.ts";

export function dailyTotal(o: { absKwh: number; rel: number } = { absKwh: 1, rel: 0.01 }): AssetCheckSpec {
  const tol = `greatest(${Number(o.absKwh)}, ${Number(o.rel)} * abs(hsum))`;
  return pvCheck({ name: "daily_total", severity: "warn", blocking: false, description: `daily total = Σ hours within max(${o.absKwh} kWh, ${o.rel * 100}%) on complete days`, fits: (m) => (m.kind === "pv" && m.dailyTotalColumn ? null : "needs a PV table with a daily total column") }, (m) => {
    return `with agg as (
        select sid, max(h.dt) as total, sum(h.v) as hsum, count(h.v)::int as n from h group by sid
      ), x as (select s.sid, a.total, a.hsum, coalesce(a.n, 0) as n from s left join agg a using (sid))
      select sid,
        case when total is null or n < 24 then true else abs(total - hsum) <= ${tol} end as passed,
        case when total is null or n < 24 then null else total - hsum end as value,
        case
          when total is null then 'no daily total from the source'
          when n < 24 then 'not compared: ' || n || '/24 hours measured'
          when abs(total - hsum) <= ${tol} then 'daily total ' || ${num("total", 3)} || ' kWh matches the hourly sum'
          else 'daily total ' || ${num("total", 3)} || ' kWh vs hourly sum ' || ${num("hsum", 3)} || ' kWh (Δ ' || ${num("total - hsum", 3)} || ' kWh'
               || case when hsum <> 0 then ', ' || ${num("100 * (total - hsum) / abs(hsum)")} || '%' else '' end || ')'
        end as message
      from x`;
  });
}
