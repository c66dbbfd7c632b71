// §7 Requests (issue #18, "ask each range once"): what a KOSPO unit-year costs in requests through
// the real backfill flow, counted at the simulator — a unit without data and a unit with data,
// each against the rule (a range answering no data costs one more request: its last day with
// strEdate = day+1; a day a range with data leaves out is asked alone, then with day+1) — and
// the wall time of a realistic mix (the 18 units with data and the 13 without, one year) against
// the request bounds: the clients' rate limit and the latency at full concurrency.
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { backfill } from "../../flows/backfill.ts";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { chunkShare, RUN_API_BUDGET } from "../../f/lib/load/api_share.ts";
import { eachDay } from "../../f/lib/time/kst.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { DEFAULT_KOSPO_SIM_UNITS, kospoSimQuirk, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { cpuMeter, pct, type BenchContext } from "../lib/context.ts";
import { includeAllUnitsInPlanning } from "../lib/kospo_units.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { startKospoSimThread } from "../lib/kospo_sim_thread.ts";
import { openPool, resetStatements, waitForBackendsGone } from "../lib/server.ts";
import { profileByKind } from "./checks.ts";
import { kospoResource, ROOT, stepTimer } from "./backfill.ts";

const LATENCY_MS = 50;
/** The backfill flow's default: chunks at a time. */
const FLOW_PARALLELISM = BACKFILL_PARALLELISM;
/** What the run may ask of the API at once, shared by its chunks in flight (f/lib/load/api_share.ts). */
const API_IN_FLIGHT = RUN_API_BUDGET.inFlight;
const API_RPS = RUN_API_BUDGET.requestsPerSecond;
const EMPTY_UNIT = { gencd: "5707", hogi: 1 }; // never had data (DOMAIN §1.6)
const DATA_UNIT = { gencd: "8760", hogi: 1 };
const YEAR = { start: "2023-01-01", end: "2023-12-31" };

/** Requests the backfill flow makes for one unit over YEAR, counted at the simulator, and the chunks (ranges) it planned. */
async function unitYear(ctx: BenchContext, sim: KospoSim, unit: { gencd: string; hogi: number }): Promise<{ requests: number; chunks: number }> {
  const db = await ctx.server.createDb("requests");
  try {
    const before = sim.requests;
    const run = await runFlow(
      backfill,
      { source: "kospo", ...YEAR, plant: unit.gencd, unit: unit.hogi, parallelism: FLOW_PARALLELISM },
      { root: ROOT, resources: { db: db.resource, kospo_api: kospoResource(sim) } },
    );
    if (run.status !== "success") throw new Error(`backfill of ${unit.gencd}-${unit.hogi} ${run.status}: ${run.error?.message}`);
    await waitForBackendsGone(db.resource, "pvpipe");
    return { requests: sim.requests - before, chunks: (run.results.plan as { chunks: unknown[] }).chunks.length };
  } finally {
    await db.drop();
  }
}

export async function requestsSection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  // The 13 units without data are planned (they have coordinates here); the simulator serves only the 18 with data.
  includeAllUnitsInPlanning();
  const months = eachDay(YEAR.start, YEAR.end).filter((d) => d.endsWith("-01")).length;
  const days = eachDay(YEAR.start, YEAR.end);

  const counting = await startKospoSim({ units: [...DEFAULT_KOSPO_SIM_UNITS] });
  let empty: { requests: number; chunks: number };
  let data: { requests: number; chunks: number };
  try {
    ctx.progress(`§7 requests: one year of ${EMPTY_UNIT.gencd}-${EMPTY_UNIT.hogi} (no data) and of ${DATA_UNIT.gencd}-${DATA_UNIT.hogi} (data)`);
    empty = await unitYear(ctx, counting, EMPTY_UNIT);
    data = await unitYear(ctx, counting, DATA_UNIT);
  } finally {
    await counting.close();
  }
  const emptyReq = empty.requests;
  const dataReq = data.requests;
  const emptyRule = empty.chunks * 2; // each planned range (≤ 31 days): the range, then its last day with strEdate = day+1
  const emptyBefore = months + 2 * days.length; // before: each month, then every day alone and with day+1
  const quirk = (d: string) => kospoSimQuirk(DATA_UNIT.gencd, DATA_UNIT.hogi, d);
  const dataRule = data.chunks + days.filter((d) => quirk(d) === "rangeOmit").length + 2 * days.filter((d) => quirk(d) === "nextDayOnly").length;

  // The realistic mix: every unit, most with data. The simulator answers from a worker thread, as
  // a remote service would: its work is not on the engine's event loop; and it computes the mix's
  // values before the measured run (as a service reads them from storage), so that only serving
  // them (XML) shares the two cores with the engine.
  const mixEnd = ctx.quick ? "2023-03-31" : YEAR.end;
  const sim = await startKospoSimThread({ latencyMs: LATENCY_MS, units: [...DEFAULT_KOSPO_SIM_UNITS], warm: { start: YEAR.start, end: mixEnd } });
  const db = await ctx.server.createDb("requests_mix");
  const admin = openPool(ctx.server.admin, 1, "bench-admin");
  try {
    ctx.progress(`§7 requests: realistic mix, every KOSPO unit ${YEAR.start}..${mixEnd}, simulator ${LATENCY_MS} ms latency`);
    await resetStatements(ctx.server.admin);
    const timer = stepTimer();
    const cpu = cpuMeter(ctx.server);
    const tp = performance.now();
    const run = await runFlow(
      backfill,
      { source: "kospo", start: YEAR.start, end: mixEnd, parallelism: FLOW_PARALLELISM },
      { root: ROOT, resources: { db: db.resource, kospo_api: kospoResource(sim) }, onEvent: timer.onEvent },
    );
    const wall = (performance.now() - tp) / 1000;
    await waitForBackendsGone(db.resource, "pvpipe");
    const used = cpu();
    if (run.status !== "success") throw new Error(`backfill flow ${run.status}: ${run.error?.message}`);
    const statements = await profileByKind(admin, db.name);
    const plan = run.results.plan as { partitions: number; chunks: { pdim: string }[] };
    const units = new Set(plan.chunks.map((c) => c.pdim));
    const withData = DEFAULT_KOSPO_SIM_UNITS.filter((u) => units.has(`${u.gencd}-${u.hogi}`)).length;
    const requests = await sim.requests();
    const rateBound = requests / API_RPS;
    const latencyBound = (requests * LATENCY_MS) / 1000 / API_IN_FLIGHT;
    const bound = Math.max(rateBound, latencyBound);
    const cpuFloor = used.total / cpus().length;

    const metrics: Metric[] = [
      {
        id: "requests.empty_unit_year",
        what: `requests for an empty unit-year (${EMPTY_UNIT.gencd}-${EMPTY_UNIT.hogi}, ${YEAR.start.slice(0, 4)}, backfill flow)`,
        figure: { value: emptyReq, unit: "req" },
        comparison: { what: "before: the range, then each day alone and with day+1", value: emptyBefore, unit: "req" },
        ratio: round(emptyReq / emptyBefore, 3),
        note: `the rule: ${empty.chunks} planned ranges × 2 = ${emptyRule}`,
        target: "≤ 60",
        status: judge(emptyReq, "≤", 60),
      },
      {
        id: "requests.mix_wall_vs_bound",
        what: `backfill wall, realistic mix (${units.size} units, ${withData} with data, ${YEAR.start}..${mixEnd}) vs max(rate-limit, latency bound)`,
        figure: { value: round(wall, 1), unit: "s" },
        comparison: { what: `max(${requests} req ÷ ${API_RPS}/s, ${requests} × ${LATENCY_MS} ms ÷ ${API_IN_FLIGHT})`, value: round(bound, 2), unit: "s" },
        ratio: round(wall / bound, 2),
        target: "≤ 1.5 × bound",
        status: judge(wall / bound, "≤", 1.5),
      },
    ];
    const figures: Figure[] = [
      { id: "requests.empty_rule", what: "empty unit-year vs the rule (2 a planned range)", figure: { value: emptyReq, unit: "req" }, comparison: { what: "rule", value: emptyRule, unit: "req" }, ratio: round(emptyReq / emptyRule, 3) },
      {
        id: "requests.data_unit_year",
        what: `requests for a unit-year with data (${DATA_UNIT.gencd}-${DATA_UNIT.hogi}) vs the rule`,
        figure: { value: dataReq, unit: "req" },
        comparison: { what: `${data.chunks} ranges + 1 per day left out + 2 per next-day-only day`, value: dataRule, unit: "req" },
        ratio: round(dataReq / dataRule, 3),
      },
      { id: "requests.mix_requests", what: "requests of the realistic mix", figure: { value: requests, unit: "req" }, comparison: { what: "chunks planned", value: plan.chunks.length, unit: "chunks" }, ratio: round(requests / plan.chunks.length, 2) },
      { id: "requests.mix_rate_bound", what: "rate-limit bound", figure: { value: round(rateBound, 2), unit: "s" }, comparison: { what: "latency bound", value: round(latencyBound, 2), unit: "s" }, ratio: round(rateBound / latencyBound, 2) },
      {
        id: "requests.mix_answer_wait",
        what: `waiting for answers, ${FLOW_PARALLELISM} chunks at a time, each chunk's requests one after another (requests × ${LATENCY_MS} ms ÷ ${FLOW_PARALLELISM}): wall cannot go below it at parallelism ${FLOW_PARALLELISM}`,
        figure: { value: round((requests * LATENCY_MS) / 1000 / FLOW_PARALLELISM, 2), unit: "s" },
        comparison: { what: "max(rate, latency bound)", value: round(bound, 2), unit: "s" },
        ratio: round((requests * LATENCY_MS) / 1000 / FLOW_PARALLELISM / bound, 2),
      },
      {
        id: "requests.mix_cpu_floor",
        what: "CPU floor of the mix (Node + PostgreSQL CPU ÷ cores): wall cannot go below it on this machine",
        figure: { value: round(cpuFloor, 1), unit: "s" },
        comparison: { what: "max(rate, latency bound)", value: round(bound, 2), unit: "s" },
        ratio: round(cpuFloor / bound, 2),
        note: `CPU Node ${used.node} s (incl. the simulator) + PostgreSQL ${used.pg} s`,
      },
    ];
    const stepSum = Object.values(timer.times).reduce((a, t) => a + t.ms, 0) / 1000;
    const profile = [
      `${fmt(wall, 1)} s wall for ${plan.chunks.length} chunks (${plan.partitions} partitions) and ${requests} requests; ${fmt(stepSum, 1)} s of step time summed`,
      ...Object.entries(timer.times)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([s, t]) => `  ${s.padEnd(13)} ${String(t.calls).padStart(4)} calls  ${fmt(t.ms / 1000, 1).padStart(6)} s summed (${pct(t.ms / 1000 / stepSum)})  ${fmt(t.ms / Math.max(1, t.calls), 0).padStart(5)} ms/call`),
      `CPU: Node ${used.node} s (the simulator's thread included) + PostgreSQL ${used.pg} s = ${fmt(cpuFloor, 1)} s per core on ${cpus().length} cores, against a request bound of ${fmt(bound, 1)} s`,
      `a chunk's requests follow one another (a range, then its last day or the days it left out), so ${FLOW_PARALLELISM} chunks at a time wait ${fmt((requests * LATENCY_MS) / 1000 / FLOW_PARALLELISM, 1)} s for answers in all (${requests} × ${LATENCY_MS} ms ÷ ${FLOW_PARALLELISM}), each chunk's steps after its answers`,
      `database time by kind of statement (pg_stat_statements, ${fmt(statements.totalMs / 1000, 2)} s of server execution):`,
      ...statements.kinds.map((k) => `  ${pct(k.ms / statements.totalMs).padStart(4)}  ${fmt(k.ms / 1000, 2).padStart(6)} s  ${String(k.calls).padStart(6)}×  ${k.kind.padEnd(22)} largest: ${k.top}`),
    ];
    return {
      id: "requests",
      title: "§7 Requests",
      measured: `Requests counted at the KOSPO simulator for one year of a unit without data (${EMPTY_UNIT.gencd}-${EMPTY_UNIT.hogi}) and of a unit with data (${DATA_UNIT.gencd}-${DATA_UNIT.hogi}) through the real backfill flow; then every KOSPO unit (${withData} with data, ${units.size - withData} without) ${YEAR.start}..${mixEnd} through the backfill flow (${FLOW_PARALLELISM} chunks at a time) against the simulator (in a worker thread) with ${LATENCY_MS} ms latency.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile,
      notes: [
        `Rate-limit bound = requests ÷ the run's API budget of ${API_RPS} requests/s; latency bound = requests × ${LATENCY_MS} ms ÷ its ${API_IN_FLIGHT} requests in flight (f/lib/load/api_share.ts: the ${FLOW_PARALLELISM} chunks at a time share that budget, ${chunkShare(FLOW_PARALLELISM).concurrency} in flight and ${chunkShare(FLOW_PARALLELISM).requestsPerSecond} requests/s each; until 2026-12-07 each of 4 chunks had 4 and 25/s, the same totals). No transient faults here (§2 has them): their backoff is in neither bound.`,
        `The 13 units without data have their site's coordinates in this process's reference data so that they are planned, as on a deployment that lists them; the simulator answers them no data.`,
        `The mix's simulator runs in a worker thread of the benchmark process (bench/lib/kospo_sim_thread.ts): a remote service's work is not the engine's event loop. It computes the mix's hourly values (sun, sky, each unit's arrays) before the measured run, as a service reads its answers from storage; serving them (XML, latency) is measured, and its CPU is in the Node figure.`,
      ],
      details: { empty: { requests: emptyReq, rule: emptyRule, before: emptyBefore }, data: { requests: dataReq, rule: dataRule }, mix: { wall, requests, rateBound, latencyBound, cpu_s: used, chunks: plan.chunks.length, partitions: plan.partitions, steps: timer.times, statements } },
    };
  } finally {
    await admin.end({ timeout: 5 });
    await sim.close();
    await db.drop();
  }
}
