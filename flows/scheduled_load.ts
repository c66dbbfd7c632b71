// A scheduled flow of one source (daily_nambu, daily_weather, monthly_namdong): plan the window its
// inputs describe with policy missing+failed (a skipped schedule or a failed run is caught up by the
// next one), load each chunk, continue the source's stopped backfills when it has a daily quota
// (flows/continuation.ts), check freshness, close the run and report.
import type { z } from "zod";
import type { LoadedAsset } from "../f/lib/assets/graph.ts";
import { defineFlow, forEach, inputsOf, resource, step, value, type FlowDef, type InputRefs, type Ref } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";
import { continuationModules } from "./continuation.ts";
import { notifyFailure, notifySummary } from "./notify.ts";
import { freshnessStep } from "./quality_steps.ts";
import { runStart, type PlanChoices } from "./run_start.ts";
import { REPORT } from "./scripts.ts";

export interface ScheduledLoad<S extends z.ZodObject> {
  id: string;
  summary: string;
  description: string;
  asset: LoadedAsset;
  input: S;
  order: string[];
  /** The window and filters the plan gets from the flow's inputs (the source and the policy are the flow's). */
  window: (input: InputRefs<S>) => Omit<PlanChoices, "source" | "policy">;
  parallelism: (input: InputRefs<S>) => Ref<number>;
  slack: (input: InputRefs<S>) => Ref<boolean>;
}

export function scheduledLoad<S extends z.ZodObject>(d: ScheduledLoad<S>): FlowDef<S> {
  const input = inputsOf(d.input);
  const parallelism = d.parallelism(input);
  const start = runStart(d.id, { source: value(d.asset.source.name), policy: value("missing+failed"), ...d.window(input) });
  const runId = start.plan.out("run_id");
  return defineFlow({
    id: d.id,
    summary: d.summary,
    description: d.description,
    input: d.input,
    order: d.order,
    modules: [
      ...start.modules,
      forEach("chunks", start.plan.out("chunks"), { parallelism, summary: "Load each chunk" }, (chunk) => chunkModules(d.asset, start.plan, chunk, parallelism)),
      ...(d.asset.source.quota ? continuationModules(d.asset, runId, parallelism) : []),
      freshnessStep(d.asset, runId),
      step("report", REPORT, { db: resource("db"), run_id: runId }, { summary: "Close the run" }),
      notifySummary(runId, d.slack(input)),
    ],
    onFailure: notifyFailure(d.slack(input)),
  });
}
