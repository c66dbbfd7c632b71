// What a scheduled flow of a data.go.kr source does after its own day (issue #18): continue the
// source's backfills that the quota or their --max-requests stopped on an earlier day, each within
// its own per-day budget. A stop here ends the continuation quietly (the flow's own day is loaded);
// the backfill waits for the next day. The run's report lists what was continued.
import type { LoadedAsset } from "../f/lib/assets/graph.ts";
import { forEach, input, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";

export const continuationModules = (asset: LoadedAsset, planStep: string): Module[] => [
  step("continue_plan", "f/pv/plan_continuation", { db: resource("db"), source: value(asset.source.name), run_id: result(planStep, "run_id") }, {
    summary: "Plan the continuation of stopped backfills",
  }),
  forEach("continued_chunks", result("continue_plan", "chunks"), { parallelism: input("parallelism"), summary: "Continue stopped backfills" }, chunkModules(asset, "continue_plan", "continued")),
];
