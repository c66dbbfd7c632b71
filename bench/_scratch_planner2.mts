import { startBenchServer } from "/work/main/bench/lib/server.ts";
import { synthesize } from "/work/main/bench/sections/planner.ts";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
const s = await startBenchServer(console.error);
const db = await s.createDb("pl");
const sql = db.pool(1);
const units = Number(process.argv[2] ?? 100);
await synthesize(sql, units, 10000);
const [{ pid }] = await sql`select pg_backend_pid() as pid`;
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const dims = Array.from({ length: units }, (_, i) => `'U${String(i).padStart(3, "0")}'`).join(",");
const nulls = Array.from({ length: units }, () => "null").join(",");
const E = `(select d::date as pdate, u.pdim, case when u.pdim is null then to_char(d, 'YYYY-MM-DD') else to_char(d, 'YYYY-MM-DD') || '|' || u.pdim end as partition
  from generate_series('2000-01-01'::date, '2027-05-18'::date, '1 day'::interval) d
  cross join unnest(array[${dims}]::text[], array[${nulls}]::date[]) as u(pdim, pfrom)
  where u.pfrom is null or d::date >= u.pfrom) e`;
const orig = `select e.pdate, e.pdim, e.partition,
  case when ap.asset is null then 'missing' when ap.status = 'failed' then 'failed' when ap.code_version <> '1' then 'stale'
    when exists (select 1 from ops.asset_partitions up where up.asset = any(array['bench/raw']) and up.partition = e.partition and up.materialized_at > ap.materialized_at) then 'stale'
    else 'materialized' end as status, coalesce(ap.status = 'empty', false) as empty
  from ${E} left join ops.asset_partitions ap on ap.asset = 'bench/hourly' and ap.partition = e.partition`;
const v2 = `select e.pdate, e.pdim, e.partition,
  case when ap.asset is null then 'missing' when ap.status = 'failed' then 'failed' when ap.code_version <> '1' then 'stale'
    when up.latest > ap.materialized_at then 'stale'
    else 'materialized' end as status, coalesce(ap.status = 'empty', false) as empty
  from ${E}
  left join ops.asset_partitions ap on ap.asset = 'bench/hourly' and ap.pdate = e.pdate and coalesce(ap.pdim, '') = coalesce(e.pdim, '')
    and ap.pdate between '2000-01-01' and '2027-05-18'
  left join (select pdate, coalesce(pdim, '') as pdim, max(materialized_at) as latest from ops.asset_partitions
             where asset = any(array['bench/raw']) and pdate between '2000-01-01' and '2027-05-18' group by 1, 2) up
    on up.pdate = e.pdate and up.pdim = coalesce(e.pdim, '')`;
// v3: upstream as a plain left join per dep row (identity mapping: one row per dep asset), no aggregate
const v3 = `select e.pdate, e.pdim, e.partition,
  case when ap.asset is null then 'missing' when ap.status = 'failed' then 'failed' when ap.code_version <> '1' then 'stale'
    when ap.up_latest > ap.materialized_at then 'stale'
    else 'materialized' end as status, coalesce(ap.status = 'empty', false) as empty
  from ${E}
  left join (select a.*, (select max(u.materialized_at) from ops.asset_partitions u where u.asset = any(array['bench/raw']) and u.partition = a.partition) as up_latest
             from ops.asset_partitions a where a.asset = 'bench/hourly' and a.pdate between '2000-01-01' and '2027-05-18') ap
    on ap.pdate = e.pdate and coalesce(ap.pdim, '') = coalesce(e.pdim, '')`;
const status = (f: string) => `select to_char(s.pdate, 'YYYY-MM-DD') as pdate, s.status, count(*)::int as n, count(*) filter (where s.empty and s.status = 'materialized')::int as empty from (${f}) s group by s.pdate, s.status order by s.pdate`;
const plan = (f: string) => `with needed as (select pdate, pdim from (${f}) s where s.status = any(array['missing'])),
 islands as (select pdim, pdate, pdate - (dense_rank() over (partition by pdim order by pdate))::int as island_day from needed),
 pieces as (select pdim, pdate, (island_day - date '2000-01-01')::bigint as island, (row_number() over (partition by pdim, (island_day - date '2000-01-01')::bigint order by pdate) - 1) / 31 as piece from islands)
 select pdim, min(pdate), max(pdate), count(*) from pieces group by pdim, island, piece order by min(pdate), pdim`;
const variants: [string, string][] = [["status orig", status(orig)], ["status v2", status(v2)], ["status v3", status(v3)], ["plan orig", plan(orig)], ["plan v2", plan(v2)], ["plan v3", plan(v3)]];
for (const wm of ["4MB", "64MB"]) {
  await sql.unsafe(`set work_mem = '${wm}'`);
  for (const [name, q] of variants) {
    const c0 = cpu(); const t0 = performance.now();
    const r = await sql.unsafe(q);
    console.log(wm, name.padEnd(12), "cpu", cpu() - c0, "ms  wall", (performance.now() - t0).toFixed(0), "ms rows", r.length);
  }
}
await sql.end(); await db.drop(); await s.stop();
