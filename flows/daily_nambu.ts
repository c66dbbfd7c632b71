// daily_nambu (09:30 KST): KOSPO D-1 plus a catch-up of anything missing or failed in the
// last week, so a skipped schedule or a failed run is repaired by the next one; then it continues
// KOSPO backfills stopped by the quota or their --max-requests on an earlier day (flows/continuation.ts).
import { z } from "zod";
import { kospoHourly } from "../f/lib/assets/catalog.ts";
import { defineFlow, forEach, input, resource, result, step, value } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";
import { runStart } from "./run_start.ts";
import { notifyFailure, notifySummary } from "./notify.ts";
import { parallelismField, slackField } from "./inputs.ts";
import { freshnessStep } from "./quality_steps.ts";
import { continuationModules } from "./continuation.ts";

export const dailyNambu = defineFlow({
  id: "daily_nambu",
  summary: "KOSPO PV: yesterday plus catch-up",
  description: "Loads yesterday (KST) for every KOSPO unit with coordinates, and any missing or failed day of the last week; then continues KOSPO backfills stopped by the quota or their request budget on an earlier day.",
  input: z.object({
    lookback_days: z.number().int().min(1).max(60).default(8).describe("Days up to yesterday to check (8 = D-1 plus 7 days of catch-up)"),
    parallelism: parallelismField,
    slack: slackField,
  }),
  order: ["lookback_days", "parallelism", "slack"],
  modules: [
    ...runStart("daily_nambu", {
      source: value(kospoHourly.source.name),
      lookback_days: input("lookback_days"),
      policy: value("missing+failed"),
    }),
    forEach("chunks", result("plan", "chunks"), { parallelism: input("parallelism"), summary: "Load each chunk" }, chunkModules(kospoHourly, "plan")),
    ...continuationModules(kospoHourly, "plan"),
    freshnessStep(kospoHourly, "plan"),
    step("report", "f/pv/report", { db: resource("db"), run_id: result("plan", "run_id") }, { summary: "Close the run" }),
    notifySummary("plan"),
  ],
  onFailure: notifyFailure("daily_nambu"),
});
