// What a scheduled flow of a data.go.kr source does after its own day (issue #18): continue the
// source's backfills that the quota or their --max-requests stopped on an earlier day, each within
// its own per-day budget. A stop here ends the continuation quietly (the flow's own day is loaded);
// the backfill waits for the next day. The run's report lists what was continued.
import { forEach, input, resource, result, step, value, type Module } from "../src/flow/dsl.ts";

export const continuationModules = (source: "kospo" | "asos", planStep: string, chunkModules: (planStep: string, prefix: string) => Module[]): Module[] => [
  step("continue_plan", "f/pv/plan_continuation", { db: resource("db"), source: value(source), run_id: result(planStep, "run_id") }, {
    summary: "Plan the continuation of stopped backfills",
  }),
  forEach("continued_chunks", result("continue_plan", "chunks"), { parallelism: input("parallelism"), summary: "Continue stopped backfills" }, chunkModules("continue_plan", "continued")),
];
