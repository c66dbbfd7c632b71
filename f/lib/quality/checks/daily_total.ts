// daily_total: the source's daily total (KOSPO qvodgen, KOEN 합계) against the sum of its hourly
// values (Σ qhorgen), compared only on days with all 24 hours measured; the tolerance is the larger
// of an absolute and a relative one (values arrive rounded, some as float32: DOMAIN §9.35).
// value = daily total − Σ hours.
import type { PvImputePolicy } from "../policies.ts";
import { num, subjectsCte } from "./common.ts";

export function dailyTotalSql(p: PvImputePolicy, absKwh: number, rel: number): string {
  const tol = `greatest(${Number(absKwh)}, ${Number(rel)} * abs(hsum))`;
  return `with ${subjectsCte(p)}, agg as (
      select sid, max(h.dt) as total, sum(h.v) as hsum, count(h.v)::int as n from h group by sid
    ), x as (select s.partition, s.day, s.unit, a.total, a.hsum, coalesce(a.n, 0) as n from s left join agg a using (sid))
    select partition, day, unit,
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
}
