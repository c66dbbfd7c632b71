// Plan a source over a range: its units for the filter, the partitions it always re-plans (KOEN
// months fetched while partial), then the chunks the policy selects. The plan step, `pvpipe plan`,
// the UI's plan preview and the continuation of stopped backfills all plan through here.
import type { LoadedAsset } from "../assets/graph.ts";
import type { Sql } from "../db/resource.ts";
import type { UnitFilter } from "../sources/source.ts";
import type { Chunk } from "./chunk.ts";
import { planChunks } from "./plan.ts";

export interface SourcePlan {
  asset: string;
  partitions: number;
  chunks: Chunk[];
}

export async function planSource(
  sql: Sql,
  asset: LoadedAsset,
  req: { start: string; end: string; filter: UnitFilter; policy: string; alwaysPlan?: boolean },
): Promise<SourcePlan> {
  const { source } = asset;
  const dims = await source.units.plan(sql, req.filter);
  const include = req.alwaysPlan === false ? [] : ((await source.planning.alwaysPlan?.(sql, { start: req.start, end: req.end })) ?? []);
  const chunks = await planChunks(sql, { asset, start: req.start, end: req.end, dims, policy: req.policy, maxChunk: source.planning.maxChunk, include });
  return { asset: asset.key, partitions: chunks.reduce((n, c) => n + c.partitions, 0), chunks };
}
