// What a backfill would do, without writing: the same planning as `pvpipe plan` and the flow's
// plan step (the source's units, the partitions it always re-plans, planChunks under the policy).
import type { Sql } from "../../../f/lib/db/resource.ts";
import { planChunks, type Chunk } from "../../../f/lib/planner/plan.ts";
import { SOURCE_SCOPES, type SourceScope } from "../../../f/lib/sources/scope.ts";
import { CorrectTheRequest } from "./errors.ts";
import type { BackfillInput } from "./launch_input.ts";

export interface PlanPreview {
  asset: string;
  partitions: number;
  chunks: Chunk[];
}

export async function previewPlan(sql: Sql, input: BackfillInput): Promise<PlanPreview> {
  const scope: SourceScope = SOURCE_SCOPES[input.source];
  try {
    const dims = await scope.dims(sql, { plant: input.plant || undefined, unit: input.unit || undefined, stations: input.stations });
    const include = (await scope.alwaysPlan?.(sql, { start: input.start, end: input.end })) ?? [];
    const chunks = await planChunks(sql, { asset: scope.asset, start: input.start, end: input.end, dims, policy: input.policy, maxChunk: scope.maxChunk, include });
    return { asset: scope.asset.key, partitions: chunks.reduce((n, c) => n + c.partitions, 0), chunks };
  } catch (e) {
    // A plant, unit or station the reference tables do not know: the person picks another.
    if (e instanceof Error && ["UnknownPlantUnit", "UnknownStation", "InvalidPlanRequest"].includes(e.name)) throw new CorrectTheRequest(e.message, { cause: e });
    throw e;
  }
}
