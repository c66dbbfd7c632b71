// monthly_namdong (10th of the month, 10:00 KST): KOEN PV of the previous calendar month — KOEN has
// published it by then (DOMAIN §2.7) — plus any month of the last `lookback_months` that is missing,
// failed, or was fetched while still partial. Downloads run one at a time (parallelism 1).
import { z } from "zod";
import { koenHourly } from "../f/lib/assets/catalog.ts";
import { defineFlow, forEach, input, resource, result, step, value } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";
import { runStart } from "./run_start.ts";
import { slackField } from "./inputs.ts";
import { freshnessStep } from "./quality_steps.ts";
import { notifyFailure, notifySummary } from "./notify.ts";

export const monthlyNamdong = defineFlow({
  id: "monthly_namdong",
  summary: "KOEN PV: previous month plus catch-up",
  description:
    "Downloads the previous calendar month of KOEN (한국남동발전) PV from koenergy.kr, and any missing, failed or partial month of the last three.",
  input: z.object({
    lookback_months: z.number().int().min(1).max(24).default(3).describe("Full months before this one to check (3 = previous month plus two of catch-up)"),
    slack: slackField,
  }),
  order: ["lookback_months", "slack"],
  modules: [
    ...runStart("monthly_namdong", {
      source: value(koenHourly.source.name),
      lookback_months: input("lookback_months"),
      policy: value("missing+failed"),
    }),
    forEach("chunks", result("plan", "chunks"), { parallelism: value(1), summary: "Load each chunk" }, chunkModules(koenHourly, "plan")),
    freshnessStep(koenHourly, "plan"),
    step("report", "f/pv/report", { db: resource("db"), run_id: result("plan", "run_id") }, { summary: "Close the run" }),
    notifySummary("plan"),
  ],
  onFailure: notifyFailure("monthly_namdong"),
});
