// The per-chunk module list of an ASOS load (one station, ≤ 31 days), shared by the backfill and
// the daily_weather flow (twice: its own days, then the backfills it continues; `prefix` names the modules).
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const asosChunkModules = (planStep: string, prefix = "asos"): Module[] => [
  step(
    `${prefix}_collect`,
    "f/pv/asos_collect",
    { db: resource("db"), asos_api: resource("asos_api"), run_id: result(planStep, "run_id"), chunk: iter(), refetch: result(planStep, "refetch") },
    { summary: "Fetch ASOS station-days into raw", retry: { attempts: 2, seconds: 30 } },
  ),
  step(`${prefix}_merge`, "f/pv/asos_merge", { db: resource("db"), run_id: result(planStep, "run_id"), chunk: iter() }, {
    summary: "Raw items to hourly rows (stage)",
  }),
  step(
    `${prefix}_ingest`,
    "f/pv/ingest",
    { db: resource("db"), source: value("asos"), run_id: result(planStep, "run_id"), chunk: iter() },
    { summary: "Upsert into weather_asos", retry: { attempts: 2, seconds: 10 } },
  ),
  ...qualityChunkModules(prefix, "asos/hourly", planStep),
];
