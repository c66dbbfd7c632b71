// §4 Memory: peak RSS of the real backfill flow (local engine, in a child process) over 1, 5 and
// 10 years of all 31 KOSPO units against the simulator with no latency. The simulator runs in this
// process, so its caches do not count against the backfill.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startKospoSim } from "../../src/simulators/kospo.ts";
import { runBenchChild } from "../lib/child.ts";
import type { BenchContext } from "../lib/context.ts";
import { allKospoUnits, simUnits } from "../lib/kospo_units.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { kospoResource, ROOT } from "./backfill.ts";

const CHILD = join(ROOT, "bench", "child", "backfill_child.ts");
const LIMIT_MB = 256;
const FLAT_RATIO = 1.25;

interface ChildResult {
  status?: string;
  error?: string | null;
  partitions?: number;
  chunks?: number;
  chunks_done?: number;
  seconds: number;
  max_rss_mb: number;
  sampled_peak_rss_mb: number;
  peak_heap_used_mb: number;
  peak_external_mb: number;
  time_v_max_rss_mb: number | null;
  /** User + system CPU seconds of the child (from /usr/bin/time -v). */
  cpu_s: number | null;
  timeline?: { s: number; rss_mb: number; heap_mb: number }[];
}

async function runChild(args: Record<string, unknown>): Promise<ChildResult> {
  const { result, time } = await runBenchChild<Omit<ChildResult, "time_v_max_rss_mb" | "cpu_s">>(ROOT, CHILD, args);
  return { ...result, time_v_max_rss_mb: time.maxRssMb, cpu_s: time.cpuS };
}

/** RSS at each tenth of the run's duration. */
function deciles(tl: { s: number; rss_mb: number }[]): number[] {
  if (tl.length === 0) return [];
  return Array.from({ length: 10 }, (_, i) => tl[Math.max(0, Math.ceil(((i + 1) * tl.length) / 10) - 1)].rss_mb);
}

export async function memorySection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  const end = "2024-12-31";
  const runs = ctx.quick
    ? [
        { label: "3 months", start: "2024-10-01" },
        { label: "6 months", start: "2024-07-01" },
        { label: "1 year", start: "2024-01-01" },
      ]
    : [
        { label: "1 year", start: "2024-01-01" },
        { label: "5 years", start: "2020-01-01" },
        { label: "10 years", start: "2015-01-01" },
      ];
  // Each backfill runs to its end unless a chunk limit is set; then every range does the same
  // work (its first N chunks, 4 at a time) and is stopped cleanly as by Ctrl-C: the whole plan of
  // the range is in memory from the start, so what differs between the runs is the range length.
  const limit = ctx.memoryChunks ?? 0;
  const units = allKospoUnits();
  const sim = await startKospoSim({ units: simUnits("2015-01-01") });
  try {
    ctx.progress(`§4 memory: backfill of ${units.length} units in a child process, ${runs.map((r) => r.label).join(" / ")}`);
    const idle = await runChild({ idle: true });
    const results: (ChildResult & { label: string; start: string; done_partitions: number; complete: boolean })[] = [];
    for (const r of runs) {
      const db = await ctx.server.createDb("memory");
      try {
        const res = await runChild({ root: ROOT, db: db.resource, kospo_api: kospoResource(sim), start: r.start, end, parallelism: 4, stopAfterChunks: limit });
        if (res.status !== "success" && res.status !== "cancelled") throw new Error(`memory backfill ${r.label}: ${res.status} ${res.error ?? ""}`);
        const check = db.pool(1, "bench-memory");
        const [{ n }] = await check<{ n: number }[]>`select count(*)::int as n from ops.asset_partitions where asset = 'kospo/hourly'`;
        await check.end({ timeout: 5 });
        const done = { ...res, ...r, done_partitions: n, complete: res.status === "success" };
        ctx.progress(`  ${r.label}: peak RSS ${res.max_rss_mb} MB (${res.chunks_done} of ${res.chunks} chunks, ${n} of ${res.partitions} partitions, ${fmt(res.seconds, 1)} s, child CPU ${res.cpu_s ?? "?"} s)`);
        results.push(done);
      } finally {
        await db.drop();
      }
    }
    const first = results[0];
    const last = results[results.length - 1];
    const cover = (r: (typeof results)[number]) => (r.complete ? "" : `, first ${r.chunks_done} of ${r.chunks} chunks`);
    const metrics: Metric[] = [
      {
        id: "memory.peak_rss_longest",
        what: `peak RSS, ${last.label} backfill of ${units.length} units${cover(last)}`,
        figure: { value: last.max_rss_mb, unit: "MB" },
        comparison: { what: "limit", value: LIMIT_MB, unit: "MB" },
        ratio: round(last.max_rss_mb / LIMIT_MB),
        target: `< ${LIMIT_MB} MB`,
        status: judge(last.max_rss_mb, "<", LIMIT_MB),
      },
      {
        id: "memory.flat",
        what: `peak RSS ${last.label} vs ${first.label} (flat in range length)`,
        figure: { value: last.max_rss_mb, unit: "MB" },
        comparison: { what: first.label, value: first.max_rss_mb, unit: "MB" },
        ratio: round(last.max_rss_mb / first.max_rss_mb),
        target: `≤ ${FLAT_RATIO}×`,
        status: judge(last.max_rss_mb / first.max_rss_mb, "≤", FLAT_RATIO),
      },
    ];
    const figures: Figure[] = [
      ...results.map((r) => ({
        id: `memory.run_${r.label.replace(/\s+/g, "_")}`,
        what: `${r.label}: ${r.chunks_done} of ${r.chunks} chunks (${r.done_partitions} of ${r.partitions} partitions) in ${fmt(r.seconds, 1)} s, child CPU ${r.cpu_s ?? "?"} s`,
        figure: { value: r.max_rss_mb, unit: "MB" },
        comparison: { what: "process with the same modules, idle", value: idle.max_rss_mb, unit: "MB" },
        ratio: round(r.max_rss_mb / idle.max_rss_mb),
        note: `heap used ≤ ${r.peak_heap_used_mb} MB, external+buffers ≤ ${r.peak_external_mb} MB; /usr/bin/time -v: ${r.time_v_max_rss_mb ?? "n/a"} MB`,
      })),
    ];
    return {
      id: "memory",
      title: "§4 Memory",
      measured: `Peak RSS (the child's getrusage maxRSS, cross-checked with /usr/bin/time -v) of the real backfill flow on the local engine (parallelism 4) in a child process, ${units.length} units over ${runs.map((r) => r.label).join(", ")} ending ${end}, simulator without latency in the parent process.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: results.flatMap((r) => [
        `${r.label}: RSS ${r.max_rss_mb} MB = idle process ${idle.max_rss_mb} MB + ${fmt(r.max_rss_mb - idle.max_rss_mb, 1)} MB; JS heap used ≤ ${r.peak_heap_used_mb} MB, external + array buffers ≤ ${r.peak_external_mb} MB`,
        `  RSS over the run (MB, by deciles of time): ${deciles(r.timeline ?? []).join(" ")}`,
      ]),
      notes: [
        ...(results.some((r) => !r.complete)
          ? [`Each backfill was stopped cleanly (as by Ctrl-C) after its first ${limit} chunks (--memory-chunks; 0 runs every range to its end): every run holds its whole range's plan from the start and does the same work 4 chunks at a time, so the runs differ only in range length; the RSS timeline shows whether a run was still growing when it stopped.`]
          : []),
        `"Flat" is read as: the longest range's peak RSS at most ${FLAT_RATIO}× the shortest's.`, `The child loads TypeScript through tsx (as npm start does); the idle figure is that process with the same modules loaded and nothing run.`],
      details: { idle, runs: results },
    };
  } finally {
    await sim.close();
  }
}
