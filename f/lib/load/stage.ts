// Stage a chunk: the latest stored fetch of each of its partitions, read back from the source's raw
// table and turned into stage rows (COPY), with each partition's outcome for ingest, in one
// transaction. Re-running replaces the run's staged rows. A payload the source cannot read now
// (a KOEN download whose bytes fail the checks again) is a failed partition, never a garbage row.
import type { LoadedAsset } from "../assets/graph.ts";
import { copyRows, type CopyValue } from "../db/copy.ts";
import type { Pool } from "../db/resource.ts";
import { chunkKeys, type PlannedChunk } from "../planner/chunk.ts";
import { SourceError } from "../sources/errors.ts";
import { recordStagedOutcomes, type StagedOutcome } from "../store/staged_outcomes.ts";

export interface StageResult {
  /** What the chunk covers (`997S-1`, `station 108`, `2024-06..2024-08`). */
  unit: string;
  partitions: number;
  rows: number;
  data: number;
  empty: number;
  failed: number;
}

export async function stageChunk<U, Api, F, S>(sql: Pool, asset: LoadedAsset<U, Api, F, S>, runId: string, chunk: Pick<PlannedChunk, "pdim" | "start" | "end">): Promise<StageResult> {
  const { source } = asset;
  const { unit, keys } = chunkKeys(asset.time, source.units.codec, chunk);
  return sql.begin(async (tx) => {
    const latest = await source.raw.latest(tx, { unit, start: chunk.start, end: chunk.end, partitions: keys.map((k) => k.text) });
    const partitions = latest.map((l) => l.partition);
    await tx`delete from ${tx(source.table.stage)} where run_id = ${runId} and partition = any(${partitions}::text[])`;
    const outcomes: StagedOutcome[] = [];
    const staged: Iterable<CopyValue[]>[] = [];
    for (const l of latest) {
      if (l.outcome !== "data") {
        outcomes.push({ partition: l.partition, status: l.outcome, error: l.error });
        continue;
      }
      if (l.payload === null) {
        outcomes.push({ partition: l.partition, status: "failed", error: l.error ?? "the stored fetch has no payload" });
        continue;
      }
      try {
        const s = source.stage(l.payload);
        staged.push(withPartition(runId, l.partition, s.rows));
        outcomes.push({ partition: l.partition, status: s.any ? "success" : "empty", error: null });
      } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        outcomes.push({ partition: l.partition, status: "failed", error: `${e.code}: ${e.message}` });
      }
    }
    const rows = await copyRows(tx, source.table.stage, ["run_id", "partition", ...source.table.stageColumns], concat(staged));
    await recordStagedOutcomes(tx, runId, asset.key, outcomes);
    const count = (status: StagedOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
    return { unit: source.units.label(chunk), partitions: outcomes.length, rows, data: count("success"), empty: count("empty"), failed: count("failed") };
  });
}

function* withPartition(runId: string, partition: string, rows: Iterable<CopyValue[]>): Generator<CopyValue[]> {
  for (const r of rows) yield [runId, partition, ...r];
}

function* concat<T>(parts: Iterable<T>[]): Generator<T> {
  for (const p of parts) yield* p;
}
