// §8 Legacy (issue #18): the earlier pipeline's documented backfill (DOMAIN §1.11) reproduced here,
// in bench/ only, and run side by side with the project's backfill flow against the same simulator
// (50 ms latency) and the same database: sequential unit-days; a single-day request, and a second
// one with strEdate = day+1 when the day is empty (§1.3); a 50 ms pause per day; per day, in one
// transaction, DELETE the day's rows then INSERT them. Both measured in full, rows compared.
import { performance } from "node:perf_hooks";
import { backfill } from "../../flows/backfill.ts";
import type { Pool } from "../../f/lib/db/resource.ts";
import { kospoItemDate } from "../../f/lib/sources/kospo/item.ts";
import { parseKospoResponse } from "../../f/lib/sources/kospo/response.ts";
import { kospoItemToHourly } from "../../f/lib/sources/kospo/to_hourly.ts";
import { addDays, compactYmd, daysBetween, eachDay } from "../../f/lib/time/kst.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { DEFAULT_KOSPO_SIM_UNITS, DEFAULT_SIM_KEY, startKospoSim, type KospoSim, type KospoSimUnit } from "../../src/simulators/kospo.ts";
import { cpuMeter, type BenchContext } from "../lib/context.ts";
import { planOnlyReferenceUnits } from "../lib/kospo_units.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { waitForBackendsGone } from "../lib/server.ts";
import { kospoResource, ROOT, stepTimer } from "./backfill.ts";

const LATENCY_MS = 50;
const PAUSE_MS = 50; // nambu_backfill.py --sleep-sec 0.05
const TABLE = "public.bench_legacy_generation";
const COLS = "gencd, hogi, datetime, plant_name, generation, daily_total, daily_avg, daily_max, daily_min";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** nambu_backfill.py's loop, as DOMAIN §1.11 documents it (the project's parser and hour mapping, so rows compare). */
async function legacyBackfill(sql: Pool, sim: KospoSim, units: KospoSimUnit[], days: string[]) {
  await sql.unsafe(`create table if not exists ${TABLE} (like public.nambu_generation including all)`);
  const names = new Map((await sql<{ k: string; plant_name: string }[]>`select gencd || '-' || hogi as k, plant_name from public.nambu_plants`).map((r) => [r.k, r.plant_name]));
  const key = encodeURIComponent(DEFAULT_SIM_KEY);
  let requests = 0;
  let rows = 0;
  let emptyDays = 0;
  const get = async (u: KospoSimUnit, start: string, end: string) => {
    const url = `${sim.url}/getDataService?serviceKey=${key}&pageNo=1&numOfRows=100&strSdate=${compactYmd(start)}&strEdate=${compactYmd(end)}&strOrgCd=${u.gencd}&strHoki=${u.hogi}`;
    requests++;
    const res = await fetch(url);
    return parseKospoResponse(await res.text(), { source: "legacy", request: url, keyVariable: "NAMBU_API_KEY", status: res.status });
  };
  const t0 = performance.now();
  for (const u of units) {
    for (const day of days) {
      let item = (await get(u, day, day)).items.find((i) => kospoItemDate(i) === day);
      if (!item) {
        emptyDays++;
        item = (await get(u, day, addDays(day, 1))).items.find((i) => kospoItemDate(i) === day);
      }
      if (item) {
        const hourly = kospoItemToHourly(item, { gencd: u.gencd, hogi: u.hogi, ymd: day }, names.get(`${u.gencd}-${u.hogi}`) ?? null);
        const values = hourly.map((h) => ({
          datetime: h.datetime, gencd: h.gencd, hogi: h.hogi, plant_name: h.plantName, generation: h.generation,
          daily_total: h.dailyTotal, daily_avg: h.dailyAvg, daily_max: h.dailyMax, daily_min: h.dailyMin,
          generation_filled: h.generation, fill_method: h.generation === null ? "none" : "measured", run_id: "legacy",
        }));
        await sql.begin(async (tx) => {
          await tx.unsafe(`delete from ${TABLE} where gencd = $1 and hogi = $2 and datetime >= $3::date::timestamp at time zone 'Asia/Seoul' and datetime < ($3::date + 1)::timestamp at time zone 'Asia/Seoul'`, [u.gencd, u.hogi, day]);
          await tx`insert into public.bench_legacy_generation ${tx(values as never, ...(Object.keys(values[0]) as never[]))}`;
        });
        rows += values.length;
      }
      await sleep(PAUSE_MS);
    }
  }
  return { seconds: (performance.now() - t0) / 1000, requests, rows, emptyDays };
}

/** Rows of the scope that differ between the project's table and the legacy loop's, both directions. */
async function rowDiff(sql: Pool, from: string, to: string) {
  const range = `datetime >= '${from} 00:00+09' and datetime < '${addDays(to, 1)} 00:00+09'`;
  const [r] = await sql.unsafe<{ project: number; legacy: number; only_project: number; only_legacy: number }[]>(`
    select (select count(*) from public.nambu_generation where ${range})::int as project,
           (select count(*) from ${TABLE})::int as legacy,
           (select count(*) from (select ${COLS} from public.nambu_generation where ${range} except all select ${COLS} from ${TABLE}) a)::int as only_project,
           (select count(*) from (select ${COLS} from ${TABLE} except all select ${COLS} from public.nambu_generation where ${range}) b)::int as only_legacy`);
  return r;
}

export async function legacySection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  // The 18 units with data, as in the side-by-side run (the project plans what the reference lists).
  planOnlyReferenceUnits();
  const units = [...DEFAULT_KOSPO_SIM_UNITS];
  const start = "2023-01-01";
  // A month keeps the whole benchmark within its 10 minutes (the loop is sequential: about 0.1 s a unit-day).
  const end = ctx.quick ? "2023-01-10" : "2023-01-31";
  const days = eachDay(start, end);
  const sim = await startKospoSim({ latencyMs: LATENCY_MS, units });
  const db = await ctx.server.createDb("legacy");
  const sql = db.pool(2, "bench-legacy");
  try {
    ctx.progress(`§8 legacy: ${units.length} units × ${days.length} days (${start}..${end}), simulator ${LATENCY_MS} ms latency: the project's backfill flow, then the earlier loop`);
    const timer = stepTimer();
    const cpu = cpuMeter(ctx.server);
    const tp = performance.now();
    const run = await runFlow(backfill, { source: "kospo", start, end }, { root: ROOT, resources: { db: db.resource, kospo_api: kospoResource(sim) }, onEvent: timer.onEvent });
    const projectSeconds = (performance.now() - tp) / 1000;
    await waitForBackendsGone(db.resource, "pvpipe");
    const projectCpu = cpu();
    if (run.status !== "success") throw new Error(`backfill flow ${run.status}: ${run.error?.message}`);
    const projectRequests = sim.requests;
    const plan = run.results.plan as { partitions: number; chunks: unknown[] };
    ctx.progress(`  project: ${fmt(projectSeconds, 1)} s, ${projectRequests} requests, ${plan.chunks.length} chunks`);

    const l = await legacyBackfill(sql, sim, units, days);
    ctx.progress(`  earlier loop: ${fmt(l.seconds, 1)} s, ${l.requests} requests`);
    const diff = await rowDiff(sql, start, end);
    const same = diff.only_project === 0 && diff.only_legacy === 0 && diff.project === diff.legacy && diff.project === units.length * days.length * 24;

    const metrics: Metric[] = [
      {
        id: "legacy.speedup",
        what: `backfill wall time vs the earlier pipeline's loop (${units.length} units × ${days.length} days, both measured)`,
        figure: { value: round(projectSeconds, 1), unit: "s" },
        comparison: { what: "earlier loop", value: round(l.seconds, 1), unit: "s" },
        ratio: round(l.seconds / projectSeconds, 1),
        ratio_meaning: "earlier loop ÷ project (speed-up)",
        target: "≥ 20× faster",
        status: judge(l.seconds / projectSeconds, "≥", 20),
      },
      {
        id: "legacy.same_rows",
        what: "rows differing between the two (both directions)",
        figure: { value: diff.only_project + diff.only_legacy, unit: "rows" },
        comparison: { what: "rows of each", value: diff.legacy, unit: "rows" },
        ratio: null,
        note: `project ${diff.project} rows, earlier loop ${diff.legacy} rows, expected ${units.length * days.length * 24}`,
        target: "= 0 (same rows)",
        status: same ? "PASS" : "MISS",
      },
    ];
    const figures: Figure[] = [
      { id: "legacy.requests", what: "requests", figure: { value: projectRequests, unit: "req" }, comparison: { what: "earlier loop", value: l.requests, unit: "req" }, ratio: round(projectRequests / l.requests, 3) },
      { id: "legacy.latency_floor", what: "earlier loop vs its own floor (requests × latency + pauses)", figure: { value: round(l.seconds, 1), unit: "s" }, comparison: { what: `${l.requests} × ${LATENCY_MS} ms + ${units.length * days.length} × ${PAUSE_MS} ms`, value: round((l.requests * LATENCY_MS + units.length * days.length * PAUSE_MS) / 1000, 1), unit: "s" }, ratio: round(l.seconds / ((l.requests * LATENCY_MS + units.length * days.length * PAUSE_MS) / 1000), 2) },
      { id: "legacy.project_cpu", what: "project run CPU (Node incl. simulator + PostgreSQL)", figure: { value: projectCpu.total, unit: "CPU-s" }, comparison: { what: "project wall", value: round(projectSeconds, 1), unit: "s" }, ratio: round(projectCpu.total / projectSeconds, 2) },
    ];
    return {
      id: "legacy",
      title: "§8 Earlier pipeline side by side",
      measured: `${units.length} KOSPO units × ${days.length} days (${start}..${end}) against one simulator (${LATENCY_MS} ms latency) and one database: the project's backfill flow (${plan.chunks.length} chunks, 4 at a time), then the earlier pipeline's documented loop (DOMAIN §1.11) reimplemented in bench/: sequential unit-days, a second request with strEdate = day+1 for an empty day, a ${PAUSE_MS} ms pause per day, DELETE + INSERT per day.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: [
        `project: ${fmt(projectSeconds, 1)} s for ${projectRequests} requests and ${plan.chunks.length} chunks; CPU Node ${projectCpu.node} s + PostgreSQL ${projectCpu.pg} s`,
        ...Object.entries(timer.times).map(([s, t]) => `  ${s.padEnd(13)} ${String(t.calls).padStart(4)} calls  ${fmt(t.ms / 1000, 1).padStart(6)} s summed`),
        `earlier loop: ${fmt(l.seconds, 1)} s for ${l.requests} requests (${l.emptyDays} days empty on the single-day request), ${l.rows} rows`,
      ],
      notes: [
        `The earlier loop parses with the project's parser and stores label N at (N−1):00 like the project, so that rows compare (the earlier pipeline's own hour and NULL defects are not reproduced); it writes to ${TABLE} in the same database.`,
        `The issue's earlier measurement (same approach, 18 units × 3 months): 7.8× (32 s vs 251 s).`,
      ],
      details: { range: { start, end, days: daysBetween(start, end) + 1 }, project: { seconds: projectSeconds, requests: projectRequests, cpu_s: projectCpu, steps: timer.times }, legacy: l, row_diff: diff },
    };
  } finally {
    await sql.end({ timeout: 5 });
    await sim.close();
    await db.drop();
  }
}
