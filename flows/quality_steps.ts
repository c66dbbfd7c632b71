// The quality steps every hourly source's chunk ends with, and the freshness step of the
// scheduled flows (issue #5). In a chunk: ingest → check → impute.
//  - check runs the asset's declared checks on the partitions just loaded (they judge measured
//    values only) and returns `blocked`: partitions with a failing blocking error check;
//  - impute fills the gaps of the same partitions, skipping (and reporting) the blocked ones.
// Impute runs after ingest rather than before it: the serving table is where measured and filled
// values live side by side, and where impute finds the neighbouring days it needs.
import type { AssetDef } from "../f/lib/assets/graph.ts";
import type { Chunk } from "../f/lib/planner/chunk.ts";
import { resource, step, value, type LoopItem, type Module, type Ref, type StepHandle, type StepModule } from "../src/flow/dsl.ts";
import { CHECK, IMPUTE } from "./scripts.ts";

/** check + impute after the chunk's ingest; the chunk's result stays the ingest's, with `impute` added. */
export const qualityChunkModules = (prefix: string, { key: asset }: AssetDef, runId: Ref<string>, item: LoopItem<Chunk>, ingest: StepHandle<object>): Module[] => {
  const range = { db: resource("db"), asset: value(asset), start: item.field("start"), end: item.field("end"), pdim: item.field("pdim"), run_id: runId };
  const check = step(`${prefix}_check`, CHECK, range, { summary: `Asset checks of ${asset} on the loaded partitions`, retry: { attempts: 2, seconds: 10 } });
  return [
    check,
    step(`${prefix}_impute`, IMPUTE, { ...range, skip: check.out("blocked"), ingest: ingest.all }, {
      summary: "Fill gaps with provenance (measured values untouched; blocked partitions skipped)",
      retry: { attempts: 2, seconds: 10 },
    }),
  ];
};

/** Whether the asset's latest partition is there by its deadline (D-1 by 10:00 KST; KOEN: previous month by the 11th). */
export const freshnessStep = ({ key: asset }: AssetDef, runId: Ref<string>, id = "freshness"): StepModule =>
  step(id, CHECK, { db: resource("db"), asset: value(asset), mode: value("freshness"), run_id: runId }, { summary: `Freshness of ${asset}` });
