// What a scheduled flow of a data.go.kr source does after its own day (issue #18): continue the
// source's backfills that the quota or their --max-requests stopped on an earlier day, each within
// its own per-day budget. A stop here ends the continuation quietly (the flow's own day is loaded);
// the backfill waits for the next day. The run's report lists what was continued.
import type { LoadedAsset } from "../f/lib/assets/graph.ts";
import { forEach, resource, step, value, type Module, type Ref } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";
import { PLAN_CONTINUATION } from "./scripts.ts";

export function continuationModules(asset: LoadedAsset, runId: Ref<string>, parallelism: Ref<number>): Module[] {
  const plan = step("continue_plan", PLAN_CONTINUATION, { db: resource("db"), source: value(asset.source.name), run_id: runId }, {
    summary: "Plan the continuation of stopped backfills",
  });
  return [
    plan,
    forEach("continued_chunks", plan.out("chunks"), { parallelism, summary: "Continue stopped backfills" }, (chunk) => chunkModules(asset, plan, chunk, parallelism, "continued")),
  ];
}
