// The per-chunk module list of a KOSPO load, shared by the backfill and the daily flow:
// sync → merge → ingest → check → impute (flows/quality_steps.ts).
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const kospoChunkModules = (planStep: string): Module[] => [
  step(
    "kospo_sync",
    "f/pv/kospo_sync",
    { db: resource("db"), kospo_api: resource("kospo_api"), run_id: result(planStep, "run_id"), chunk: iter(), refetch: result(planStep, "refetch") },
    { summary: "Fetch KOSPO days into raw", retry: { attempts: 2, seconds: 30 } },
  ),
  step("kospo_merge", "f/pv/kospo_merge", { db: resource("db"), run_id: result(planStep, "run_id"), chunk: iter() }, {
    summary: "Raw items to hourly rows (stage)",
  }),
  step(
    "kospo_ingest",
    "f/pv/ingest",
    { db: resource("db"), source: value("kospo"), run_id: result(planStep, "run_id"), chunk: iter() },
    { summary: "Upsert into nambu_generation", retry: { attempts: 2, seconds: 10 } },
  ),
  ...qualityChunkModules("kospo", "kospo/hourly", planStep),
];
