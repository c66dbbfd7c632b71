// What a backfill would do, without writing: the same planning as `pvpipe plan` and the flow's
// plan step (the source's units, the partitions it always re-plans, planChunks under the policy).
import type { Sql } from "../../../f/lib/db/resource.ts";
import { assetOfSource } from "../../../f/lib/assets/sources.ts";
import { planSource, type SourcePlan } from "../../../f/lib/planner/plan_source.ts";
import { CorrectTheRequest } from "./errors.ts";
import type { BackfillInput } from "./launch_input.ts";

export type PlanPreview = SourcePlan;

export async function previewPlan(sql: Sql, input: BackfillInput): Promise<PlanPreview> {
  try {
    const filter = { plant: input.plant || undefined, unit: input.unit || undefined, stations: input.stations };
    return await planSource(sql, assetOfSource(input.source), { start: input.start, end: input.end, filter, policy: input.policy });
  } catch (e) {
    // A plant, unit or station the reference tables do not know: the person picks another.
    if (e instanceof Error && ["UnknownPlantUnit", "UnknownStation", "InvalidPlanRequest"].includes(e.name)) throw new CorrectTheRequest(e.message, { cause: e });
    throw e;
  }
}
