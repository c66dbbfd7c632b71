// The per-chunk module list of any source, derived from the asset it serves: collect → stage →
// ingest → check → impute (flows/quality_steps.ts). `prefix` names the modules (ids are unique
// across a flow): a daily flow runs the list twice, for its own days and for the backfills it continues.
import type { LoadedAsset } from "../f/lib/assets/graph.ts";
import { iter, resource, result, step, value, type Module } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";

export const chunkModules = (asset: LoadedAsset, planStep: string, prefix = asset.source.name): Module[] => {
  const { source } = asset;
  const chunk = { db: resource("db"), source: value(source.name), run_id: result(planStep, "run_id"), chunk: iter() };
  return [
    step(`${prefix}_collect`, "f/pv/collect", { ...chunk, api: resource(source.api.resource), refetch: result(planStep, "refetch") }, {
      summary: `Fetch ${source.label} into raw`,
      retry: source.retry,
    }),
    step(`${prefix}_stage`, "f/pv/stage", chunk, { summary: "Raw payloads to hourly rows (stage)" }),
    step(`${prefix}_ingest`, "f/pv/ingest", chunk, { summary: `Upsert into ${asset.table.replace(/^public\./, "")}`, retry: { attempts: 2, seconds: 10 } }),
    ...qualityChunkModules(prefix, asset, planStep),
  ];
};
