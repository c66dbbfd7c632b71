// Ingest a chunk into its source's serving table, in one transaction and with one write per row:
// the chunk's partition locks; its partitions' latest stored payloads (the raw store is the
// hand-off from collect) parsed into one array per column; units the rows bring that the units
// table does not know (when the table registers them); the upsert generated from the table's
// description, which reads the arrays and returns each partition's data version; then the
// materializations (a partition with data that serves no row is `empty`).
//
// Staging in a separate step (COPY into stage.*, a second transaction reading it back and deleting
// it) wrote every row twice and took ~70 % of ingest time (docs/BENCH.md §1). The stage tables
// remain for `pvpipe import-legacy`, which stages a whole import before comparing it (`ingestStaged`).
import type { LoadedAsset } from "../assets/graph.ts";
import type { CopyValue } from "../db/copy.ts";
import type { Pool, Sql } from "../db/resource.ts";
import { chunkKeys, type PlannedChunk } from "../planner/chunk.ts";
import { lockPartitions } from "../store/partition_locks.ts";
import { recordMaterializations, type MaterializationStatus } from "../store/record_materializations.ts";
import { recordNewUnitWarnings } from "../store/unit_warnings.ts";
import { readChunkRows, type PartitionOutcome } from "./chunk_rows.ts";
import { columnArrays } from "./column_arrays.ts";
import { registerNewUnits, type NewUnit } from "./register_units.ts";
import { stageTypes } from "./stage_types.ts";
import { arrayRowsSql, stagedRowsSql, upsertSql, type RowsSql, type UpsertResult } from "./upsert_sql.ts";

export interface IngestResult {
  /** What the chunk covers (`997S-1`, `station 108`, `2024-06..2024-08`). */
  unit: string;
  partitions: number;
  /** Rows the stored payloads hold. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  success: number;
  empty: number;
  failed: number;
  /** Units added to the units table without coordinates (tables that register them). */
  new_units?: NewUnit[];
}

/** Ingest the planned chunk from the raw store (the ingest step). */
export async function ingestChunk(sql: Pool, asset: LoadedAsset, runId: string, chunk: Pick<PlannedChunk, "pdim" | "start" | "end">): Promise<IngestResult> {
  const unit = asset.source.units.label(chunk);
  const { keys } = chunkKeys(asset.time, asset.source.units.codec, chunk);
  return sql.begin(async (tx) => {
    // Locked before the payloads are read: a concurrent collect or ingest of the same days waits.
    await lockPartitions(tx, asset.key, keys.map((k) => k.text));
    const c = await readChunkRows(tx, asset, chunk);
    return { unit, ...(await ingestRows(tx, asset, runId, c.partitions, c.outcomes, c.rows)) };
  });
}

/**
 * Rows (`[partition, ...stageColumns]`) of the given partitions into the serving table, in the
 * caller's transaction, which holds the partitions' locks; `outcomes` are what reading the
 * partitions found.
 */
export async function ingestRows(tx: Sql, asset: LoadedAsset, runId: string, partitions: string[], outcomes: PartitionOutcome[], rows: Iterable<CopyValue[]>): Promise<Omit<IngestResult, "unit">> {
  const table = asset.source.table;
  const types = await stageTypes(tx, table.stage);
  const { arrays, count } = columnArrays(rows, 1 + table.stageColumns.length);
  const all: Rows = { sql: arrayRowsSql(table, types, 3), params: [runId, partitions, ...arrays] };
  // Registering units reads only their columns: the other arrays are not sent twice.
  const unitCols = ["partition", ...table.units.columns];
  const unitArrays = unitCols.map((c) => arrays[c === "partition" ? 0 : 1 + table.stageColumns.indexOf(c)]);
  const units: Rows = { sql: arrayRowsSql(table, types, 3, unitCols), params: [runId, partitions, ...unitArrays] };
  return { rows: count, ...(await serve(tx, asset, outcomes, all, units)) };
}

/** The stage tables' rows of a run (`pvpipe import-legacy`) into the serving table, then cleared. */
export async function ingestStaged(sql: Pool, asset: LoadedAsset, runId: string, partitions: string[]): Promise<Omit<IngestResult, "unit" | "rows">> {
  const table = asset.source.table;
  return sql.begin(async (tx) => {
    await lockPartitions(tx, asset.key, partitions);
    const outcomes = await tx<PartitionOutcome[]>`
      select partition, status, error from stage.partition_outcomes
      where run_id = ${runId} and asset = ${asset.key} and partition = any(${partitions}::text[])
    `;
    const staged: Rows = { sql: stagedRowsSql(table), params: [runId, partitions] };
    const r = await serve(tx, asset, outcomes, staged, staged);
    await tx`delete from ${tx(table.stage)} where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${asset.key} and partition = any(${partitions}::text[])`;
    return r;
  });
}

/** A chunk's rows as SQL over its parameters: $1 the run id, $2 the partitions, then any arrays. */
interface Rows {
  sql: RowsSql;
  params: [string, string[], ...unknown[]];
}

/** The chunk's rows (`all`; `units`: at least their unit columns) → served, and the materializations. */
async function serve(tx: Sql, asset: LoadedAsset, outcomes: PartitionOutcome[], all: Rows, units: Rows): Promise<Omit<IngestResult, "unit" | "rows">> {
  const table = asset.source.table;
  const runId = all.params[0];
  const newUnits = await registerNewUnits(tx, units.sql, table.units, units.params);
  const describe = table.units.register?.describe;
  if (describe) {
    await recordNewUnitWarnings(tx, asset.key, runId, newUnits.map((u) => ({
      partition: u.first_partition,
      message: `new ${asset.source.label} unit ${describe(u)} found in the download: added to ${table.units.table.replace(/^public\./, "")} without coordinates (add it to data/plants.csv)`,
    })));
  }
  // Prepared: every chunk of a table sends the same text, so a connection parses and plans it once.
  const [counts] = await tx.unsafe<UpsertResult[]>(upsertSql(table, all.sql), all.params as unknown as never[], { prepare: true });
  const byPartition = new Map((counts?.versions ?? []).map((v) => [v.partition, v]));
  await recordMaterializations(
    tx,
    runId,
    outcomes.map((o) => {
      const v = byPartition.get(o.partition);
      return {
        asset: asset.key,
        partition: o.partition,
        status: (o.status === "success" && !v ? "empty" : o.status) as MaterializationStatus,
        rowCount: v?.rows ?? 0,
        dataVersion: v?.version ?? null,
        codeVersion: asset.codeVersion,
        error: o.error,
      };
    }),
  );
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
}
