// Child process of the memory benchmark: runs the real backfill flow on the local engine against
// a simulator served by the parent, and prints one JSON line with its peak memory at exit.
// `--idle` only loads the same modules, for the process's fixed cost.
import { performance } from "node:perf_hooks";
import { backfill } from "../../flows/backfill.ts";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { requestShutdown } from "../../f/lib/runtime/shutdown.ts";
import { runFlow, type StepEvent } from "../../src/flow/engine.ts";
import { stepsOf } from "../../src/flow/dsl.ts";
import { includeAllUnitsInPlanning } from "../lib/kospo_units.ts";
import { readChildArgs, watchMemory } from "./child_io.ts";

interface ChildArgs {
  idle?: boolean;
  root: string;
  db: PgResource;
  kospo_api: { service_key: string; base_url: string; key_name: string };
  start: string;
  end: string;
  parallelism: number;
  /** Stop the flow cleanly (as Ctrl-C does) once this many chunks are done; 0 = run to the end. */
  stopAfterChunks?: number;
}

const args = await readChildArgs<ChildArgs>();
// RSS over the run (every second): flat means it stops growing once the first chunks are running.
const memory = watchMemory(1000);
const t0 = performance.now();
let out: Record<string, unknown> = {};
if (!args.idle) {
  includeAllUnitsInPlanning();
  // A chunk is done when its last module (the end of the KOSPO per-chunk list) has ended.
  const chunkSteps = stepsOf(backfill.modules).filter((s) => s.parents.includes("chunks") && s.step.id.startsWith("kospo_"));
  const lastStep = chunkSteps[chunkSteps.length - 1].step.id;
  let chunksDone = 0;
  const onEvent = (e: StepEvent) => {
    if (e.type === "end" && e.step === lastStep && ++chunksDone === args.stopAfterChunks) requestShutdown("benchmark chunk limit");
  };
  const r = await runFlow(
    backfill,
    { source: "kospo", start: args.start, end: args.end, parallelism: args.parallelism },
    { root: args.root, resources: { db: args.db, kospo_api: args.kospo_api }, onEvent },
  );
  const plan = r.results.plan as { partitions: number; chunks: unknown[] } | undefined;
  out = { status: r.status, error: r.error?.message ?? null, partitions: plan?.partitions ?? 0, chunks: plan?.chunks.length ?? 0, chunks_done: chunksDone };
}
memory.stop();
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
console.log(
  JSON.stringify({
    ...out,
    seconds: (performance.now() - t0) / 1000,
    max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    sampled_peak_rss_mb: mb(memory.peak.rss),
    peak_heap_used_mb: mb(memory.peak.heap),
    peak_heap_total_mb: mb(memory.peak.heapTotal),
    peak_external_mb: mb(memory.peak.external),
    timeline: memory.timeline,
  }),
);
process.exit(0);
