// Ingest a chunk: its staged rows into the source's serving table, in one transaction — the
// chunk's partition locks and staged outcomes first; units the rows bring that the units table
// does not know (when the table registers them); the upsert generated from the table's description;
// then the materializations (a partition staged as success that serves no row is `empty`) with the
// data version of what is now served, and clearing the chunk's stage rows.
import type { LoadedAsset } from "../assets/graph.ts";
import type { PlannedChunk } from "../planner/chunk.ts";
import { chunkKeys } from "../planner/chunk.ts";
import type { Pool } from "../db/resource.ts";
import { lockPartitions } from "../store/partition_locks.ts";
import { recordMaterializations, type MaterializationStatus } from "../store/record_materializations.ts";
import { recordNewUnitWarnings } from "../store/unit_warnings.ts";
import { registerNewUnits, type NewUnit } from "./register_units.ts";
import { upsertSql, versionSql } from "./upsert_sql.ts";

export interface IngestResult {
  /** What the chunk covers (`997S-1`, `station 108`, `2024-06..2024-08`). */
  unit: string;
  partitions: number;
  inserted: number;
  updated: number;
  unchanged: number;
  success: number;
  empty: number;
  failed: number;
  /** Units added to the units table without coordinates (tables that register them). */
  new_units?: NewUnit[];
}

interface UpsertCounts {
  staged: number;
  inserted: number;
  updated: number;
}

interface PartitionVersion {
  partition: string;
  rows: number;
  version: string;
}

/** Ingest the chunk's partitions (every partition key of the planned chunk). */
export async function ingestChunk(sql: Pool, asset: LoadedAsset, runId: string, chunk: Pick<PlannedChunk, "pdim" | "start" | "end">): Promise<IngestResult> {
  const { keys } = chunkKeys(asset.time, asset.source.units.codec, chunk);
  return { unit: asset.source.units.label(chunk), ...(await ingestPartitions(sql, asset, runId, keys.map((k) => k.text))) };
}

export async function ingestPartitions(sql: Pool, asset: LoadedAsset, runId: string, partitions: string[]): Promise<Omit<IngestResult, "unit">> {
  const table = asset.source.table;
  return sql.begin(async (tx) => {
    await lockPartitions(tx, asset.key, partitions);
    const outcomes = await tx<{ partition: string; status: MaterializationStatus; error: string | null }[]>`
      select partition, status, error from stage.partition_outcomes
      where run_id = ${runId} and asset = ${asset.key} and partition = any(${partitions}::text[])
    `;
    const newUnits = await registerNewUnits(tx, table.stage, table.units, runId, partitions);
    const describe = table.units.register?.describe;
    if (describe) {
      await recordNewUnitWarnings(tx, asset.key, runId, newUnits.map((u) => ({
        partition: u.first_partition,
        message: `new ${asset.source.label} unit ${describe(u)} found in the download: added to ${table.units.table.replace(/^public\./, "")} without coordinates (add it to data/plants.csv)`,
      })));
    }
    const [counts] = await tx.unsafe<UpsertCounts[]>(upsertSql(table), [runId, partitions]);
    const versions = await tx.unsafe<PartitionVersion[]>(versionSql(table), [runId, partitions]);
    const byPartition = new Map(versions.map((v) => [v.partition, v]));
    await recordMaterializations(
      tx,
      runId,
      outcomes.map((o) => {
        const v = byPartition.get(o.partition);
        return {
          asset: asset.key,
          partition: o.partition,
          status: o.status === "success" && !v ? "empty" : o.status,
          rowCount: v?.rows ?? 0,
          dataVersion: v?.version ?? null,
          codeVersion: asset.codeVersion,
          error: o.error,
        };
      }),
    );
    await tx`delete from ${tx(table.stage)} where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${asset.key} and partition = any(${partitions}::text[])`;
    const n = (s: string) => outcomes.filter((o) => o.status === s).length;
    return {
      partitions: outcomes.length,
      inserted: counts?.inserted ?? 0,
      updated: counts?.updated ?? 0,
      unchanged: (counts?.staged ?? 0) - (counts?.inserted ?? 0) - (counts?.updated ?? 0),
      success: n("success"),
      empty: n("empty"),
      failed: n("failed"),
      ...(table.units.register ? { new_units: newUnits } : {}),
    };
  });
}
