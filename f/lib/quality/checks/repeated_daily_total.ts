// repeated_daily_total: the same non-zero daily total as the previous days — a monthly value divided
// by the days of the month (탑선태양광, DOMAIN §5.4: 93.5% of days equal to the day before).
// value = days running with that total (this day included, at most 31).
import { ident, qualifiedName, type PvImputePolicy } from "../policies.ts";
import { num, subjectsCte } from "./common.ts";

export function repeatedDailyTotalSql(p: PvImputePolicy, minDays: number): string {
  if (!p.dailyTotalColumn) throw new Error(`${p.asset}: repeated_daily_total needs a daily total column`);
  const cols = p.unit.columns.map(ident);
  const on = (a: string, b: string) => cols.map((c) => `${a}.${c} = ${b}.${c}`).join(" and ");
  return `with ${subjectsCte(p)}, cur as (
      select s.*, a.total from s left join (select sid, max(dt) as total from h group by sid) a using (sid)
    ), daily as (
      select ${cols.map((c) => `g.${c}`).join(", ")}, (g.datetime at time zone 'Asia/Seoul')::date as d,
             max(g.${ident(p.dailyTotalColumn)}) as t
      from ${qualifiedName(p.table)} g
      join (select distinct ${cols.join(", ")} from s) u on ${on("g", "u")}
      where g.datetime >= ((select min(day) - 30 from s)::timestamp at time zone 'Asia/Seoul')
        and g.datetime < ((select max(day) from s)::timestamp at time zone 'Asia/Seoul')
      group by ${cols.map((c) => `g.${c}`).join(", ")}, (g.datetime at time zone 'Asia/Seoul')::date
    ), run as (
      select a.sid, 1 + coalesce(min(k) filter (where d.t is distinct from a.total) - 1, 30) as days
      from cur a cross join generate_series(1, 30) k
      left join daily d on ${on("d", "a")} and d.d = a.day - k
      where a.total is not null and a.total <> 0
      group by a.sid
    )
    select c.partition, c.day, c.unit,
      coalesce(r.days, 1) < ${Number(minDays)} as passed, coalesce(r.days, 1)::float8 as value,
      case when c.total is null then 'no daily total from the source'
           when c.total = 0 then 'daily total 0'
           when coalesce(r.days, 1) < ${Number(minDays)} then 'daily total differs from the previous days'
           else 'the same daily total ' || ${num("c.total", 3)} || ' kWh ' || r.days || ' days running' end as message
    from cur c left join run r using (sid)`;
}
