// The per-chunk module list of an ASOS load (one station, ≤ 31 days), shared by the backfill and
// the daily_weather flow.
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const asosChunkModules = (planStep: string): Module[] => [
  step(
    "asos_collect",
    "f/pv/asos_collect",
    { db: resource("db"), asos_api: resource("asos_api"), run_id: result(planStep, "run_id"), chunk: iter(), refetch: result(planStep, "refetch") },
    { summary: "Fetch ASOS station-days into raw", retry: { attempts: 2, seconds: 30 } },
  ),
  step("asos_merge", "f/pv/asos_merge", { db: resource("db"), run_id: result(planStep, "run_id"), chunk: iter() }, {
    summary: "Raw items to hourly rows (stage)",
  }),
  step(
    "asos_ingest",
    "f/pv/ingest",
    { db: resource("db"), source: value("asos"), run_id: result(planStep, "run_id"), chunk: iter() },
    { summary: "Upsert into weather_asos", retry: { attempts: 2, seconds: 10 } },
  ),
  ...qualityChunkModules("asos", "asos/hourly", planStep),
];
