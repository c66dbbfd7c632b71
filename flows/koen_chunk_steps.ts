// The per-chunk module list of a KOEN load (a series of months, downloaded one after another),
// shared by the backfill and the monthly_namdong flow.
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const koenChunkModules = (planStep: string): Module[] => [
  step(
    "koen_collect",
    "f/pv/koen_collect",
    { db: resource("db"), koen_site: resource("koen_site"), run_id: result(planStep, "run_id"), chunk: iter(), refetch: result(planStep, "refetch") },
    { summary: "Download KOEN monthly CSVs into raw", retry: { attempts: 2, seconds: 60 } },
  ),
  step("koen_merge", "f/pv/koen_merge", { db: resource("db"), run_id: result(planStep, "run_id"), chunk: iter() }, {
    summary: "CSV rows to hourly rows (stage)",
  }),
  step(
    "koen_ingest",
    "f/pv/ingest",
    { db: resource("db"), source: value("koen"), run_id: result(planStep, "run_id"), chunk: iter() },
    { summary: "Upsert into namdong_generation", retry: { attempts: 2, seconds: 10 } },
  ),
  ...qualityChunkModules("koen", "koen/hourly", planStep),
];
