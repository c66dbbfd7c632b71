// What every source's chunk ingest shares around its own upsert, in one transaction: the chunk's
// partition locks and staged outcomes first; then the materializations (a partition staged as
// success that serves no row is `empty`), clearing the chunk's stage rows, and the counts.
import type { AssetDef } from "../assets/graph.ts";
import type { Sql } from "../db/resource.ts";
import { lockPartitions } from "./partition_locks.ts";
import { recordMaterializations, type MaterializationStatus } from "./record_materializations.ts";

export interface IngestResult {
  partitions: number;
  inserted: number;
  updated: number;
  unchanged: number;
  success: number;
  empty: number;
  failed: number;
}

/** What a source's upsert reports: rows staged, inserted and updated (the rest were unchanged). */
export interface UpsertCounts {
  staged: number;
  inserted: number;
  updated: number;
}

/** Rows served and a hash of their values, per partition, after the upsert. */
export interface PartitionVersion {
  partition: string;
  rows: number;
  version: string;
}

export interface ChunkIngest<E extends object> {
  runId: string;
  asset: AssetDef;
  partitions: string[];
  /** The run-scoped stage table of the asset's rows (schema-qualified, a constant of the source). */
  stageTable: string;
  /** The source's own work inside the transaction: upsert and data versions (and anything extra to report). */
  write: (tx: Sql) => Promise<{ counts: UpsertCounts | undefined; versions: PartitionVersion[]; extra?: E }>;
}

export async function ingestChunk<E extends object = object>(sql: Sql, c: ChunkIngest<E>): Promise<IngestResult & E> {
  return sql.begin(async (tx0) => {
    const tx = tx0 as unknown as Sql;
    await lockPartitions(tx, c.asset.key, c.partitions);
    const outcomes = await tx<{ partition: string; status: MaterializationStatus; error: string | null }[]>`
      select partition, status, error from stage.partition_outcomes
      where run_id = ${c.runId} and asset = ${c.asset.key} and partition = any(${c.partitions}::text[])
    `;
    const { counts, versions, extra } = await c.write(tx);
    const byPartition = new Map(versions.map((v) => [v.partition, v]));
    await recordMaterializations(
      tx,
      c.runId,
      outcomes.map((o) => {
        const v = byPartition.get(o.partition);
        return {
          asset: c.asset.key,
          partition: o.partition,
          status: o.status === "success" && !v ? "empty" : o.status,
          rowCount: v?.rows ?? 0,
          dataVersion: v?.version ?? null,
          codeVersion: c.asset.codeVersion,
          error: o.error,
        };
      }),
    );
    await tx`delete from ${tx(c.stageTable)} where run_id = ${c.runId} and partition = any(${c.partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${c.runId} and asset = ${c.asset.key} and partition = any(${c.partitions}::text[])`;
    const n = (s: string) => outcomes.filter((o) => o.status === s).length;
    const result: IngestResult = {
      partitions: outcomes.length,
      inserted: counts?.inserted ?? 0,
      updated: counts?.updated ?? 0,
      unchanged: (counts?.staged ?? 0) - (counts?.inserted ?? 0) - (counts?.updated ?? 0),
      success: n("success"),
      empty: n("empty"),
      failed: n("failed"),
    };
    return { ...result, ...(extra ?? ({} as E)) };
  }) as Promise<IngestResult & E>;
}
