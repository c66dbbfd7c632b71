// §4 Memory: peak RSS of the real backfill flow (local engine, in a child process) over 1, 5 and
// 10 years of all 31 KOSPO units against the simulator with no latency. The simulator runs in this
// process, so its caches do not count against the backfill. The child starts with the node flags
// the CLI starts with (src/config/node_flags.ts); the 1- and 10-year runs are also measured
// without them, as supporting figures: what the code alone holds.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { NODE_MEMORY_FLAGS } from "../../src/config/node_flags.ts";
import { startKospoSim } from "../../src/simulators/kospo.ts";
import { runBenchChild } from "../lib/child.ts";
import type { BenchContext } from "../lib/context.ts";
import { allKospoUnits, simUnits } from "../lib/kospo_units.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { kospoResource, ROOT } from "./backfill.ts";

const CHILD = join(ROOT, "bench", "child", "backfill_child.ts");
const LIMIT_MB = 160;
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
  peak_heap_total_mb: number;
  peak_external_mb: number;
  time_v_max_rss_mb: number | null;
  /** User + system CPU seconds of the child (from /usr/bin/time -v). */
  cpu_s: number | null;
  timeline?: { s: number; rss_mb: number; heap_mb: number; heap_total_mb: number }[];
}

async function runChild(args: Record<string, unknown>, nodeFlags: readonly string[]): Promise<ChildResult> {
  const { result, time } = await runBenchChild<Omit<ChildResult, "time_v_max_rss_mb" | "cpu_s">>(ROOT, CHILD, args, nodeFlags);
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
  // work (its first N chunks, the flow's default chunks at a time) and is stopped cleanly as by Ctrl-C: the whole plan of
  // the range is in memory from the start, so what differs between the runs is the range length.
  const limit = ctx.memoryChunks ?? 0;
  const units = allKospoUnits();
  const sim = await startKospoSim({ units: simUnits("2015-01-01") });
  try {
    ctx.progress(`§4 memory: backfill of ${units.length} units in a child process, ${runs.map((r) => r.label).join(" / ")}, node ${NODE_MEMORY_FLAGS.join(" ")}; then without those flags`);
    const idle = await runChild({ idle: true }, NODE_MEMORY_FLAGS);
    const idleBare = await runChild({ idle: true }, []);
    const backfill = async (r: (typeof runs)[number], nodeFlags: readonly string[]) => {
      const db = await ctx.server.createDb("memory");
      try {
        const res = await runChild({ root: ROOT, db: db.resource, kospo_api: kospoResource(sim), start: r.start, end, parallelism: BACKFILL_PARALLELISM, stopAfterChunks: limit }, nodeFlags);
        if (res.status !== "success" && res.status !== "cancelled") throw new Error(`memory backfill ${r.label}: ${res.status} ${res.error ?? ""}`);
        const check = db.pool(1, "bench-memory");
        const [{ n }] = await check<{ n: number }[]>`select count(*)::int as n from ops.asset_partitions where asset = 'kospo/hourly'`;
        await check.end({ timeout: 5 });
        const flags = nodeFlags.length ? "" : ", no node flags";
        ctx.progress(`  ${r.label}${flags}: peak RSS ${res.max_rss_mb} MB (${res.chunks_done} of ${res.chunks} chunks, ${n} of ${res.partitions} partitions, ${fmt(res.seconds, 1)} s, child CPU ${res.cpu_s ?? "?"} s)`);
        return { ...res, ...r, done_partitions: n, complete: res.status === "success" };
      } finally {
        await db.drop();
      }
    };
    const results: Awaited<ReturnType<typeof backfill>>[] = [];
    for (const r of runs) results.push(await backfill(r, NODE_MEMORY_FLAGS));
    const bare: typeof results = [];
    for (const r of [runs[0], runs[runs.length - 1]]) bare.push(await backfill(r, []));
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
    const heapNote = (r: ChildResult) =>
      `V8 heap committed ≤ ${r.peak_heap_total_mb} MB (used ≤ ${r.peak_heap_used_mb} MB), external+buffers ≤ ${r.peak_external_mb} MB; /usr/bin/time -v: ${r.time_v_max_rss_mb ?? "n/a"} MB`;
    const figures: Figure[] = [
      ...results.map((r) => ({
        id: `memory.run_${r.label.replace(/\s+/g, "_")}`,
        what: `${r.label}: ${r.chunks_done} of ${r.chunks} chunks (${r.done_partitions} of ${r.partitions} partitions) in ${fmt(r.seconds, 1)} s, child CPU ${r.cpu_s ?? "?"} s`,
        figure: { value: r.max_rss_mb, unit: "MB" },
        comparison: { what: "process with the same modules, idle", value: idle.max_rss_mb, unit: "MB" },
        ratio: round(r.max_rss_mb / idle.max_rss_mb),
        note: heapNote(r),
      })),
      ...bare.map((r) => ({
        id: `memory.run_${r.label.replace(/\s+/g, "_")}_no_node_flags`,
        what: `${r.label} without the CLI's node flags (what the code alone holds): ${r.chunks_done} chunks in ${fmt(r.seconds, 1)} s, child CPU ${r.cpu_s ?? "?"} s`,
        figure: { value: r.max_rss_mb, unit: "MB" },
        comparison: { what: "idle, no node flags", value: idleBare.max_rss_mb, unit: "MB" },
        ratio: round(r.max_rss_mb / idleBare.max_rss_mb),
        note: heapNote(r),
      })),
    ];
    const profileOf = (r: (typeof results)[number], idleRss: number, what: string) => [
      `${r.label}${what}: RSS ${r.max_rss_mb} MB = idle process ${idleRss} MB + ${fmt(r.max_rss_mb - idleRss, 1)} MB; V8 heap committed ≤ ${r.peak_heap_total_mb} MB, used ≤ ${r.peak_heap_used_mb} MB, external + array buffers ≤ ${r.peak_external_mb} MB`,
      `  RSS over the run (MB, by deciles of time): ${deciles(r.timeline ?? []).join(" ")}`,
    ];
    return {
      id: "memory",
      title: "§4 Memory",
      measured: `Peak RSS (the child's getrusage maxRSS, cross-checked with /usr/bin/time -v) of the real backfill flow on the local engine (its default of ${BACKFILL_PARALLELISM} chunks at a time) in a child process started with the CLI's node flags (${NODE_MEMORY_FLAGS.join(" ")}), ${units.length} units over ${runs.map((r) => r.label).join(", ")} ending ${end}, simulator without latency in the parent process; the first and last range again without the flags.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: [
        ...results.flatMap((r) => profileOf(r, idle.max_rss_mb, "")),
        ...bare.flatMap((r) => profileOf(r, idleBare.max_rss_mb, ", no node flags")),
      ],
      notes: [
        ...(results.some((r) => !r.complete)
          ? [`Each backfill was stopped cleanly (as by Ctrl-C) after its first ${limit} chunks (--memory-chunks; 0 runs every range to its end): every run holds its whole range's plan from the start and does the same work 4 chunks at a time, so the runs differ only in range length; the RSS timeline shows whether a run was still growing when it stopped.`]
          : []),
        `"Flat" is read as: the longest range's peak RSS at most ${FLAT_RATIO}× the shortest's.`,
        `The child loads TypeScript through tsx (as npm start does); the idle figure is that process with the same modules loaded and nothing run, with the same node flags.`,
        `The node flags (src/config/node_flags.ts) are those bin/pvpipe.mjs and npm start run with: a young generation of at most 2 × 4 MB and a full collection once the old generation is 1.5 × what the last one kept; without them V8 grows these to 2 × 16 MB and up to 4 × (the "no node flags" figures).`,
      ],
      details: { idle, idle_no_node_flags: idleBare, runs: results, runs_no_node_flags: bare },
    };
  } finally {
    await sim.close();
  }
}
