// The per-chunk module list of a KOSPO load, shared by the backfill and the daily flow:
// sync → merge → ingest → check → impute (flows/quality_steps.ts). `prefix` names the modules (ids
// are unique across a flow): the daily flow runs the list twice, for its own days and for the
// backfills it continues.
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const kospoChunkModules = (planStep: string, prefix = "kospo"): Module[] => [
  step(
    `${prefix}_sync`,
    "f/pv/kospo_sync",
    { db: resource("db"), kospo_api: resource("kospo_api"), run_id: result(planStep, "run_id"), chunk: iter(), refetch: result(planStep, "refetch") },
    { summary: "Fetch KOSPO days into raw", retry: { attempts: 2, seconds: 30 } },
  ),
  step(`${prefix}_merge`, "f/pv/kospo_merge", { db: resource("db"), run_id: result(planStep, "run_id"), chunk: iter() }, {
    summary: "Raw items to hourly rows (stage)",
  }),
  step(
    `${prefix}_ingest`,
    "f/pv/ingest",
    { db: resource("db"), source: value("kospo"), run_id: result(planStep, "run_id"), chunk: iter() },
    { summary: "Upsert into nambu_generation", retry: { attempts: 2, seconds: 10 } },
  ),
  ...qualityChunkModules(prefix, "kospo/hourly", planStep),
];
