// repeated_daily_total: the same non-zero daily total as the previous days — a monthly value divided
// by the days of the month (탑선태양광, DOMAIN §5.4: 93.5% of days equal to the day before).
// value = days running with that total (this day included, at most lookback + 1). Reads the chunk's
// rows (h) and the days before it (hist), both through the primary key with constant bounds.
import { pvCheck, type AssetCheckSpec } from "../check_spec.ts";
import { ident } from "../../sources/serving_table.ts";
import { num } from "./common.ts";

export function repeatedDailyTotal(o: { minDays: number; lookbackDays: number } = { minDays: 3, lookbackDays: 30 }): AssetCheckSpec {
  const minDays = Number(o.minDays);
  const lookback = Number(o.lookbackDays);
  return pvCheck({ name: "repeated_daily_total", severity: "warn", blocking: false, description: `not the same non-zero daily total ${minDays} days running (a monthly value divided by days)`, fits: (m) => (m.kind === "pv" && m.dailyTotalColumn ? null : "needs a PV table with a daily total column"), lookbackDays: lookback }, (p) => {
    const cols = p.unit.columns.map(ident);
    const on = (a: string, b: string) => cols.map((c) => `${a}.${c} = ${b}.${c}`).join(" and ");
    const ids = (a: string) => cols.map((c) => `${a}.${c}`).join(", ");
    // Runs of equal consecutive daily totals (gaps and islands over the chunk's days and the
    // look-back): a day's run length is its position in its island, capped at the look-back.
    return `with daily as (
        select ${ids("h")}, h.day, max(h.dt) as t from h group by ${ids("h")}, h.day
        union all
        select ${ids("hist")}, hist.day, max(hist.dt) from hist group by ${ids("hist")}, hist.day
      ), islands as (
        select ${cols.join(", ")}, day, t,
               day - (row_number() over (partition by ${cols.join(", ")}, t order by day))::int as island
        from daily where t is not null and t <> 0
      ), runs as (
        select ${cols.join(", ")}, day, t,
               least(row_number() over (partition by ${cols.join(", ")}, t, island order by day), ${lookback + 1})::int as days
        from islands
      ), cur as (
        select s.sid, d.t as total, r.days from s
        left join daily d on ${on("d", "s")} and d.day = s.day
        left join runs r on ${on("r", "s")} and r.day = s.day
      )
      select sid, coalesce(days, 1) < ${minDays} as passed, coalesce(days, 1)::float8 as value,
        case when total is null then 'no daily total from the source'
             when total = 0 then 'daily total 0'
             when coalesce(days, 1) < ${minDays} then 'daily total differs from the previous days'
             else 'the same daily total ' || ${num("total", 3)} || ' kWh ' || days || ' days running' end as message
      from cur`;
  });
}
