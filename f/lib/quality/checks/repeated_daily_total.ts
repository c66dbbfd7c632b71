// repeated_daily_total: the same non-zero daily total as the previous days — a monthly value divided
// by the days of the month (탑선태양광, DOMAIN §5.4: 93.5% of days equal to the day before).
// value = days running with that total (this day included, at most lookback + 1). Reads the chunk's
// rows (h) and the days before it (hist), both through the primary key with constant bounds.
import { asPv, type AssetCheckSpec } from "../check_spec.ts";
import { ident } from "../policies.ts";
import { num } from "./common.ts";

export function repeatedDailyTotal(o: { minDays: number; lookbackDays: number } = { minDays: 3, lookbackDays: 30 }): AssetCheckSpec {
  const minDays = Number(o.minDays);
  const lookback = Number(o.lookbackDays);
  return {
    kind: "subject",
    name: "repeated_daily_total",
    severity: "warn",
    blocking: false,
    description: `not the same non-zero daily total ${minDays} days running (a monthly value divided by days)`,
    fits: (m) => (m.kind === "pv" && m.dailyTotalColumn ? null : "needs a PV table with a daily total column"),
    lookbackDays: lookback,
    sql: (m) => {
      const p = asPv(m, "repeated_daily_total");
      const cols = p.unit.columns.map(ident);
      const on = (a: string, b: string) => cols.map((c) => `${a}.${c} = ${b}.${c}`).join(" and ");
      const ids = (a: string) => cols.map((c) => `${a}.${c}`).join(", ");
      return `with daily as (
          select ${ids("h")}, h.day, max(h.dt) as t from h group by ${ids("h")}, h.day
          union all
          select ${ids("hist")}, hist.day, max(hist.dt) from hist group by ${ids("hist")}, hist.day
        ), cur as (
          select s.*, d.t as total from s left join daily d on ${on("d", "s")} and d.day = s.day
        ), run as (
          select a.sid, 1 + coalesce(min(k) filter (where d.t is distinct from a.total) - 1, ${lookback}) as days
          from cur a cross join generate_series(1, ${lookback}) k
          left join daily d on ${on("d", "a")} and d.day = a.day - k
          where a.total is not null and a.total <> 0
          group by a.sid
        )
        select c.sid, coalesce(r.days, 1) < ${minDays} as passed, coalesce(r.days, 1)::float8 as value,
          case when c.total is null then 'no daily total from the source'
               when c.total = 0 then 'daily total 0'
               when coalesce(r.days, 1) < ${minDays} then 'daily total differs from the previous days'
               else 'the same daily total ' || ${num("c.total", 3)} || ' kWh ' || r.days || ' days running' end as message
        from cur c left join run r using (sid)`;
    },
  };
}
