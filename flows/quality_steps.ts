// The quality steps every hourly source's chunk ends with, and the freshness step of the
// scheduled flows (issue #5). In a chunk: ingest → check → impute.
//  - check runs the asset's declared checks on the partitions just loaded (they judge measured
//    values only) and returns `blocked`: partitions with a failing blocking error check;
//  - impute fills the gaps of the same partitions, skipping (and reporting) the blocked ones.
// Impute runs after ingest rather than before it: the serving table is where measured and filled
// values live side by side, and where impute finds the neighbouring days it needs.
import type { AssetDef } from "../f/lib/assets/graph.ts";
import { iter, resource, result, step, value, type Module, type StepModule } from "../src/flow/dsl.ts";

/** check + impute after `${prefix}_ingest`; the chunk's result stays the ingest's, with `impute` added. */
export const qualityChunkModules = (prefix: string, { key: asset }: AssetDef, planStep: string): Module[] => [
  step(
    `${prefix}_check`,
    "f/pv/check",
    { db: resource("db"), asset: value(asset), start: iter("start"), end: iter("end"), pdim: iter("pdim"), run_id: result(planStep, "run_id") },
    { summary: `Asset checks of ${asset} on the loaded partitions`, retry: { attempts: 2, seconds: 10 } },
  ),
  step(
    `${prefix}_impute`,
    "f/pv/impute",
    {
      db: resource("db"),
      asset: value(asset),
      start: iter("start"),
      end: iter("end"),
      pdim: iter("pdim"),
      skip: result(`${prefix}_check`, "blocked"),
      run_id: result(planStep, "run_id"),
      ingest: result(`${prefix}_ingest`),
    },
    { summary: "Fill gaps with provenance (measured values untouched; blocked partitions skipped)", retry: { attempts: 2, seconds: 10 } },
  ),
];

/** Whether the asset's latest partition is there by its deadline (D-1 by 10:00 KST; KOEN: previous month by the 11th). */
export const freshnessStep = ({ key: asset }: AssetDef, planStep: string, id = "freshness"): StepModule =>
  step(
    id,
    "f/pv/check",
    { db: resource("db"), asset: value(asset), mode: value("freshness"), run_id: result(planStep, "run_id") },
    { summary: `Freshness of ${asset}` },
  );
