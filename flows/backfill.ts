// backfill: any source over a date range, only the partitions the policy selects.
import { z } from "zod";
import { LOADED_ASSETS } from "../f/lib/assets/catalog.ts";
import { branch, defineFlow, forEach, inputsOf, resource, step } from "../src/flow/dsl.ts";
import { chunkModules } from "./chunk_steps.ts";
import { notifyFailure, notifySummary } from "./notify.ts";
import { backfillParallelismField, dateField, debugField, maxRequestsField, plantField, policyField, slackField, sourceField, stationsField, unitField } from "./inputs.ts";
import { runStart } from "./run_start.ts";
import { REPORT } from "./scripts.ts";

const schema = z.object({
  source: sourceField,
  start: dateField("First day (KST), inclusive"),
  end: dateField("Last day (KST), inclusive"),
  plant: plantField,
  unit: unitField,
  stations: stationsField,
  policy: policyField,
  parallelism: backfillParallelismField,
  max_requests: maxRequestsField,
  slack: slackField,
  debug: debugField,
});
const input = inputsOf(schema);
const { modules: start, plan } = runStart(
  "backfill",
  { source: input("source"), start: input("start"), end: input("end"), plant: input("plant"), unit: input("unit"), stations: input("stations"), policy: input("policy") },
  input("max_requests"),
);

export const backfill = defineFlow({
  id: "backfill",
  summary: "Backfill a source over a date range",
  description: "Plans the partitions the policy selects (missing by default), loads them chunk by chunk, and reports.",
  input: schema,
  order: ["source", "start", "end", "plant", "unit", "stations", "policy", "parallelism", "max_requests", "slack", "debug"],
  modules: [
    ...start,
    forEach("chunks", plan.out("chunks"), { parallelism: input("parallelism"), summary: "Load each chunk" }, (chunk) => [
      branch("load", input("source"), Object.fromEntries(LOADED_ASSETS.map((a) => [a.source.name, chunkModules(a, plan, chunk, input("parallelism"))])), "Load by source"),
    ]),
    step("report", REPORT, { db: resource("db"), run_id: plan.out("run_id") }, { summary: "Close the run" }),
    notifySummary(plan.out("run_id"), input("slack")),
  ],
  onFailure: notifyFailure(input("slack")),
});
