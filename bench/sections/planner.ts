// §3 Planner and status at scale: statusCounts and a `missing` plan (planChunks) over an asset
// with 1,000,000 partitions (100 units × 10,000 days), half materialized, with scattered holes,
// failures and stale partitions synthesized directly in ops.asset_partitions.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import { daily, dynamicKeys, product } from "../../f/lib/assets/partitions.ts";
import type { PgResource, Pool } from "../../f/lib/db/resource.ts";
import { planChunks } from "../../f/lib/planner/plan.ts";
import { statusCounts } from "../../f/lib/store/status_counts.ts";
import { addDays } from "../../f/lib/time/kst.ts";
import { median, type BenchContext } from "../lib/context.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { oneLine, openPool } from "../lib/server.ts";

export const START = "2000-01-01";
/** Issue #18: status and a missing plan over 1 M partitions, each under half a second. */
const TARGET_S = 0.5;
const REPEATS = 3;

export const benchRaw: AssetDef = {
  key: "bench/raw",
  description: "benchmark upstream asset (synthetic partitions only)",
  deps: [],
  partitions: product(daily(START), dynamicKeys("bench_unit")),
  codeVersion: "1",
  step: "f/bench/noop",
};

export const benchHourly: AssetDef = {
  key: "bench/hourly",
  description: "benchmark asset with 1,000,000 partitions (synthetic)",
  deps: [benchRaw.key],
  partitions: product(daily(START), dynamicKeys("bench_unit")),
  codeVersion: "1",
  step: "f/bench/noop",
};

interface Captured {
  query: string;
  params: unknown[];
}

/** A pool that remembers the last statement it sent, to EXPLAIN exactly what the real function ran. */
function capturingPool(r: PgResource, sink: Captured[]): Pool {
  return openPool(r, 1, "bench-planner", (_conn, query, params) => {
    sink.push({ query, params: [...params] });
  });
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Total Time": number;
  "Actual Rows": number;
  "Actual Loops": number;
  Plans?: PlanNode[];
  [k: string]: unknown;
}

/** EXPLAIN ANALYZE of a captured statement: total time and the nodes with the most exclusive time. */
async function explainTop(sql: Pool, c: Captured, n = 5): Promise<{ totalMs: number; nodes: string[] }> {
  const rows = await sql.unsafe<{ "QUERY PLAN": { Plan: PlanNode; "Execution Time": number }[] }[]>(
    `explain (analyze, buffers, format json) ${c.query}`,
    c.params as never[],
  );
  const root = rows[0]["QUERY PLAN"][0];
  const flat: { label: string; ms: number; rows: number; loops: number }[] = [];
  const walk = (p: PlanNode) => {
    const own = p["Actual Total Time"] * p["Actual Loops"];
    const kids = (p.Plans ?? []).reduce((a, k) => a + k["Actual Total Time"] * k["Actual Loops"], 0);
    const what = [p["Node Type"], p["Relation Name"] ? `on ${p["Relation Name"]}` : "", p["Index Name"] ? `using ${p["Index Name"]}` : "", p["Hash Cond"] ? `(${p["Hash Cond"]})` : "", p["Join Filter"] ? `filter ${p["Join Filter"]}` : "", p["Sort Key"] ? `by ${(p["Sort Key"] as string[]).join(", ")}` : ""]
      .filter(Boolean)
      .join(" ");
    flat.push({ label: oneLine(what, 120), ms: Math.max(0, own - kids), rows: p["Actual Rows"], loops: p["Actual Loops"] });
    for (const k of p.Plans ?? []) walk(k);
  };
  walk(root.Plan);
  flat.sort((a, b) => b.ms - a.ms);
  return {
    totalMs: root["Execution Time"],
    nodes: flat.slice(0, n).map((f) => `${fmt(f.ms, 0).padStart(6)} ms  ${f.label}  (rows ${f.rows}${f.loops > 1 ? ` × ${f.loops} loops` : ""})`),
  };
}

export async function synthesize(sql: Pool, units: number, days: number): Promise<Record<string, number>> {
  // Per unit, a contiguous half of the days is materialized (where it starts differs by unit);
  // 0.5 % of those are holes (never attempted), 1 % failed on their latest attempt (earlier success
  // kept), 0.2 % stale (upstream materialized later); 1 % of the other half failed without success.
  await sql`
    with grid as (
      select ui, di, 'U' || lpad(ui::text, 3, '0') as u, (date '2000-01-01' + di) as d,
             ((di + ui * 97) % ${days}) < ${days / 2} as done,
             ((ui * 7919 + di * 104729) % 1000) as h
      from generate_series(0, ${units - 1}) ui cross join generate_series(0, ${days - 1}) di
    ), states as (
      select u, d,
        case when done and h < 5 then null
             when done and h between 5 and 14 then 'failed-after-success'
             when done and h between 15 and 16 then 'stale'
             when done then 'success'
             when h >= 990 then 'failed'
             else null end as s
      from grid
    ), ins_raw as (
      insert into ops.asset_partitions (asset, partition, pdate, pdim, status, run_id, row_count, code_version, materialized_at, attempted_at)
      select ${benchRaw.key}, to_char(d, 'YYYY-MM-DD') || '|' || u, d, u, 'success', 'bench-synth', 24, '1',
             case when s = 'stale' then timestamptz '2024-06-02' else timestamptz '2024-06-01' end,
             case when s = 'stale' then timestamptz '2024-06-02' else timestamptz '2024-06-01' end
      from states where s is not null and s <> 'failed'
    )
    insert into ops.asset_partitions (asset, partition, pdate, pdim, status, run_id, row_count, code_version, materialized_at, attempted_at, error, upstream_at)
    select ${benchHourly.key}, to_char(d, 'YYYY-MM-DD') || '|' || u, d, u,
           case when s in ('failed', 'failed-after-success') then 'failed' else 'success' end,
           'bench-synth', 24, '1',
           case when s = 'failed' then null else timestamptz '2024-06-01 01:00' end,
           timestamptz '2024-06-01 01:00',
           case when s in ('failed', 'failed-after-success') then 'synthetic failure' end,
           -- the raw partition's materialization, as recordMaterializations keeps it
           case when s = 'failed' then null when s = 'stale' then timestamptz '2024-06-02' else timestamptz '2024-06-01' end
    from states where s is not null
  `;
  await sql`analyze ops.asset_partitions`;
  const rows = await sql<{ asset: string; status: string; n: number }[]>`
    select asset, status, count(*)::int as n from ops.asset_partitions group by 1, 2 order by 1, 2`;
  return Object.fromEntries(rows.map((r) => [`${r.asset}:${r.status}`, r.n]));
}

export async function plannerSection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  const units = ctx.quick ? 20 : 100;
  const days = 10_000;
  const total = units * days;
  const end = addDays(START, days - 1);
  const db = await ctx.server.createDb("planner");
  const captured: Captured[] = [];
  const sql = db.pool(1, "bench-planner");
  const cap = capturingPool(db.resource, captured);
  try {
    ctx.progress(`§3 planner: synthesizing ${total.toLocaleString("en-US")} partitions (${units} units × ${days} days)…`);
    const synth = await synthesize(sql, units, days);
    const dims = Array.from({ length: units }, (_, i) => ({ key: `U${String(i).padStart(3, "0")}`, from: null }));
    const q = { asset: benchHourly, start: START, end, dims };

    // CPU time of the (single) backend, less sensitive than wall time to other load on the machine.
    const [{ pid }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const backendCpu = () => {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        return Number.NaN;
      }
    };
    const statusCpu: number[] = [];
    const planCpu: number[] = [];
    const statusTimes: number[] = [];
    const planTimes: number[] = [];
    let counts: Awaited<ReturnType<typeof statusCounts>> | undefined;
    let chunks: Awaited<ReturnType<typeof planChunks>> = [];
    for (let i = 0; i < REPEATS; i++) {
      let a = performance.now();
      let c = backendCpu();
      counts = await statusCounts(sql, q);
      statusTimes.push((performance.now() - a) / 1000);
      statusCpu.push(backendCpu() - c);
      a = performance.now();
      c = backendCpu();
      chunks = await planChunks(sql, { ...q, policy: "missing", maxChunk: 31 });
      planTimes.push((performance.now() - a) / 1000);
      planCpu.push(backendCpu() - c);
    }
    const statusS = median(statusTimes);
    const planS = median(planTimes);
    ctx.progress(`  statusCounts ${fmt(statusS, 3)} s, planChunks ${fmt(planS, 3)} s (median of ${REPEATS})`);
    if (!counts) throw new Error("no status");
    const missing = counts.counts.missing;
    const planned = chunks.reduce((n, c) => n + c.partitions, 0);

    // The exact statements the real functions send, for EXPLAIN ANALYZE.
    await statusCounts(cap, q);
    const statusStmt = captured[captured.length - 1];
    await planChunks(cap, { ...q, policy: "missing", maxChunk: 31 });
    const planStmt = captured[captured.length - 1];
    const statusExplain = await explainTop(sql, statusStmt);
    const planExplain = await explainTop(sql, planStmt);

    const metrics: Metric[] = [
      {
        id: "planner.status_1m",
        what: `statusCounts over ${total.toLocaleString("en-US")} partitions`,
        figure: { value: round(statusS, 3), unit: "s" },
        comparison: { what: "target", value: TARGET_S, unit: "s" },
        ratio: round(statusS / TARGET_S, 3),
        target: `< ${TARGET_S} s`,
        status: judge(statusS, "<", TARGET_S),
        note: `counts ${JSON.stringify(counts.counts)}, ${counts.bar.length} bar days`,
      },
      {
        id: "planner.plan_missing_1m",
        what: `planChunks (policy missing) over ${total.toLocaleString("en-US")} partitions`,
        figure: { value: round(planS, 3), unit: "s" },
        comparison: { what: "target", value: TARGET_S, unit: "s" },
        ratio: round(planS / TARGET_S, 3),
        target: `< ${TARGET_S} s`,
        status: judge(planS, "<", TARGET_S),
        note: `${chunks.length} chunks, ${planned} partitions`,
      },
    ];
    const figures: Figure[] = [
      { id: "planner.planned_vs_missing", what: "partitions planned vs counted missing", figure: { value: planned, unit: "partitions" }, comparison: { what: "status missing", value: missing, unit: "partitions" }, ratio: round(planned / Math.max(1, missing), 4) },
      { id: "planner.status_cpu", what: "statusCounts, PostgreSQL CPU time (median)", figure: { value: round(median(statusCpu), 2), unit: "CPU-s" }, comparison: { what: "wall", value: round(statusS, 3), unit: "s" }, ratio: round(median(statusCpu) / statusS, 2), note: "CPU ÷ wall near 1 means the query had a core to itself" },
      { id: "planner.plan_cpu", what: "planChunks, PostgreSQL CPU time (median)", figure: { value: round(median(planCpu), 2), unit: "CPU-s" }, comparison: { what: "wall", value: round(planS, 3), unit: "s" }, ratio: round(median(planCpu) / planS, 2) },
      { id: "planner.status_first", what: "statusCounts, first run", figure: { value: round(statusTimes[0], 3), unit: "s" }, comparison: null, ratio: null },
      { id: "planner.plan_first", what: "planChunks, first run", figure: { value: round(planTimes[0], 3), unit: "s" }, comparison: null, ratio: null },
    ];
    return {
      id: "planner",
      title: "§3 Planner and status",
      measured: `statusCounts and planChunks (policy missing, chunks ≤ 31 days) — the real functions — over an asset defined in the benchmark (bench/hourly ← bench/raw, daily × unit) with ${total.toLocaleString("en-US")} partitions: ${units} units × ${days.toLocaleString("en-US")} days, half materialized, scattered holes, failures and stale partitions, synthesized with generate_series; median of ${REPEATS} runs.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: [
        `statusCounts: EXPLAIN ANALYZE ${fmt(statusExplain.totalMs, 0)} ms; nodes by own time:`,
        ...statusExplain.nodes.map((l) => `  ${l}`),
        `planChunks: EXPLAIN ANALYZE ${fmt(planExplain.totalMs, 0)} ms; nodes by own time:`,
        ...planExplain.nodes.map((l) => `  ${l}`),
      ],
      notes: [`Synthesized ops.asset_partitions rows: ${Object.entries(synth).map(([k, v]) => `${k} ${v}`).join(", ")}.`],
      details: { synthesized: synth, status_times_s: statusTimes, plan_times_s: planTimes, status_cpu_s: statusCpu, plan_cpu_s: planCpu, counts: counts.counts, chunks: chunks.length, status_explain: statusExplain, plan_explain: planExplain },
    };
  } finally {
    await cap.end({ timeout: 5 });
    await sql.end({ timeout: 5 });
    await db.drop();
  }
}
