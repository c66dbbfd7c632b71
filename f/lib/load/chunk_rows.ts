// A chunk's rows, read from its partitions' latest stored fetches (the raw store is the hand-off
// between collect and ingest): each partition's outcome for its materialization, and the rows the
// payloads hold, produced lazily in the table's `stageColumns` order. A payload the source cannot
// read now (a KOEN download whose bytes fail the checks again) is a failed partition, never a
// garbage row.
import type { LoadedAsset } from "../assets/graph.ts";
import type { CopyValue } from "../db/copy.ts";
import type { Sql } from "../db/resource.ts";
import type { PlannedChunk } from "../planner/chunk.ts";
import { chunkKeys } from "../planner/chunk.ts";
import { SourceError } from "../sources/errors.ts";
import type { StagedOutcome } from "../store/staged_outcomes.ts";

/** What reading a partition found (the shape an import stages in stage.partition_outcomes too). */
export type PartitionOutcome = StagedOutcome;

export interface ChunkRows {
  /** The partitions that have a stored fetch (what the chunk materializes). */
  partitions: string[];
  outcomes: PartitionOutcome[];
  /** `[partition, ...stageColumns]` per row. */
  rows: Iterable<CopyValue[]>;
}

export async function readChunkRows<U, Api, F, S>(tx: Sql, asset: LoadedAsset<U, Api, F, S>, chunk: Pick<PlannedChunk, "pdim" | "start" | "end">): Promise<ChunkRows> {
  const { source } = asset;
  const { unit, keys } = chunkKeys(asset.time, source.units.codec, chunk);
  const latest = await source.raw.latest(tx, { unit, start: chunk.start, end: chunk.end, partitions: keys.map((k) => k.text) });
  const outcomes: PartitionOutcome[] = [];
  const parts: [string, Iterable<CopyValue[]>][] = [];
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
      parts.push([l.partition, s.rows]);
      outcomes.push({ partition: l.partition, status: s.any ? "success" : "empty", error: null });
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      outcomes.push({ partition: l.partition, status: "failed", error: `${e.code}: ${e.message}` });
    }
  }
  return { partitions: latest.map((l) => l.partition), outcomes, rows: withPartitions(parts) };
}

function* withPartitions(parts: [string, Iterable<CopyValue[]>][]): Generator<CopyValue[]> {
  for (const [partition, rows] of parts) for (const r of rows) yield [partition, ...r];
}
