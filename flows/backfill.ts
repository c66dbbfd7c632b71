// backfill: any source over a date range, only the partitions the policy selects.
import { z } from "zod";
import { branch, defineFlow, forEach, input, resource, result, runId, step, value } from "../src/flow/dsl.ts";
import { notifyFailure, notifySummary } from "./notify.ts";
import { dateField, debugField, maxRequestsField, parallelismField, plantField, policyField, slackField, sourceField, stationsField, unitField } from "./inputs.ts";
import { asosChunkModules } from "./asos_chunk_steps.ts";
import { koenChunkModules } from "./koen_chunk_steps.ts";
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
    stations: stationsField,
    policy: policyField,
    parallelism: parallelismField,
    max_requests: maxRequestsField,
    slack: slackField,
    debug: debugField,
  }),
  order: ["source", "start", "end", "plant", "unit", "stations", "policy", "parallelism", "max_requests", "slack", "debug"],
  modules: [
    step("plan", "f/pv/plan", {
      db: resource("db"),
      source: input("source"),
      start: input("start"),
      end: input("end"),
      plant: input("plant"),
      unit: input("unit"),
      stations: input("stations"),
      policy: input("policy"),
      max_requests: input("max_requests"),
      flow: value("backfill"),
      run_id: runId(),
    }, { summary: "Plan chunks" }),
    forEach("chunks", result("plan", "chunks"), { parallelism: input("parallelism"), summary: "Load each chunk" }, [
      branch("load", input("source"), { kospo: kospoChunkModules("plan"), asos: asosChunkModules("plan"), koen: koenChunkModules("plan") }, "Load by source"),
    ]),
    step("report", "f/pv/report", { db: resource("db"), run_id: result("plan", "run_id") }, { summary: "Close the run" }),
    notifySummary("plan"),
  ],
  onFailure: notifyFailure("backfill"),
});
