// backfill: any source over a date range, only the partitions the policy selects.
import { z } from "zod";
import { branch, defineFlow, forEach, input, resource, result, runId, step, value } from "../src/flow/dsl.ts";
import { dateField, debugField, parallelismField, plantField, policyField, slackField, sourceField, unitField } from "./inputs.ts";
import { kospoChunkModules } from "./kospo_chunk_steps.ts";

export const backfill = defineFlow({
  id: "backfill",
  summary: "Backfill a source over a date range",
  description: "Plans the partitions the policy selects (missing by default), loads them chunk by chunk, and reports.",
  input: z.object({
    source: sourceField,
    start: dateField("First day (KST), inclusive"),
    end: dateField("Last day (KST), inclusive"),
    plant: plantField,
    unit: unitField,
    policy: policyField,
    parallelism: parallelismField,
    slack: slackField,
    debug: debugField,
  }),
  order: ["source", "start", "end", "plant", "unit", "policy", "parallelism", "slack", "debug"],
  modules: [
    step("plan", "f/pv/plan", {
      db: resource("db"),
      source: input("source"),
      start: input("start"),
      end: input("end"),
      plant: input("plant"),
      unit: input("unit"),
      policy: input("policy"),
      flow: value("backfill"),
      run_id: runId(),
    }, { summary: "Plan chunks" }),
    forEach("chunks", result("plan", "chunks"), { parallelism: input("parallelism"), summary: "Load each chunk" }, [
      branch("load", input("source"), { kospo: kospoChunkModules("plan") }, "Load by source"),
    ]),
    step("report", "f/pv/report", { db: resource("db"), run_id: result("plan", "run_id") }, { summary: "Close the run" }),
  ],
});
