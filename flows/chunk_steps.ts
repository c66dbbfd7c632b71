// The per-chunk module list of any source, derived from the asset it serves: collect → ingest →
// check → impute (flows/quality_steps.ts). `prefix` names the modules (ids are unique
// across a flow): a daily flow runs the list twice, for its own days and for the backfills it continues.
import type { LoadedAsset } from "../f/lib/assets/graph.ts";
import type { Chunk } from "../f/lib/planner/chunk.ts";
import { resource, step, value, type LoopItem, type Module, type Ref } from "../src/flow/dsl.ts";
import { qualityChunkModules } from "./quality_steps.ts";
import { COLLECT, INGEST } from "./scripts.ts";

/** What the chunk steps read of the step that planned the chunks (plan, or plan_continuation). */
export interface ChunkPlanner {
  out(key: "run_id"): Ref<string>;
  out(key: "refetch"): Ref<boolean>;
}

/** `inFlight`: the loop's parallelism, which the collect step shares the run's API budget by. */
export const chunkModules = (asset: LoadedAsset, planner: ChunkPlanner, item: LoopItem<Chunk>, inFlight: Ref<number>, prefix = asset.source.name): Module[] => {
  const { source } = asset;
  const chunk = { db: resource("db"), source: value(source.name), run_id: planner.out("run_id"), chunk: item.value };
  const ingest = step(`${prefix}_ingest`, INGEST, chunk, { summary: `Upsert into ${asset.table.replace(/^public\./, "")}`, retry: { attempts: 2, seconds: 10 } });
  return [
    step(`${prefix}_collect`, COLLECT, { ...chunk, api: resource(source.api.resource), refetch: planner.out("refetch"), chunks_in_flight: inFlight }, {
      summary: `Fetch ${source.label} into raw`,
      retry: source.retry,
    }),
    ingest,
    ...qualityChunkModules(prefix, asset, planner.out("run_id"), item, ingest),
  ];
};
