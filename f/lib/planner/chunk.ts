// A planned chunk: one unit's contiguous time keys, as the planner returns it and as steps receive
// it through the flow's loop. Parsed once at a step's edge into typed partition keys.
import { z } from "zod";
import { keyOf, type PartitionKey, type UnitCodec } from "../assets/partition_key.ts";
import { timeKeys, type TimePartitions } from "../assets/partitions.ts";
import { isoDate } from "../time/kst.ts";

export const plannedChunk = z.object({
  asset: z.string(),
  /** The unit's key (`997S-1`, `108`), or null for partitions without a unit. */
  pdim: z.string().nullable(),
  start: isoDate,
  end: isoDate,
  partitions: z.number().int().nonnegative().optional(),
  /** A continued backfill's chunk: the request budget it spends and the backfill it continues. */
  budget: z.string().nullish(),
  continues: z.string().nullish(),
});
export type PlannedChunk = z.output<typeof plannedChunk>;

/** A step's `chunk` argument, as the Windmill form describes it. */
export const chunkArg = plannedChunk.describe("One planned chunk: {asset, pdim (unit key), start, end} (YYYY-MM-DD, KST)");
export const budgetedChunkArg = plannedChunk.describe(
  "One planned chunk: {asset, pdim (unit key), start, end} (YYYY-MM-DD, KST); a continued backfill's chunk also names its request budget and the backfill (budget, continues)",
);

/** The planner's output: a unit's contiguous time keys [start, end] and how many partitions they are. */
export interface Chunk {
  asset: string;
  pdim: string | null;
  start: string;
  end: string;
  partitions: number;
}

/** The chunk's unit and its partition keys, one per time key of [start, end]. */
export function chunkKeys<U>(time: TimePartitions, codec: UnitCodec<U>, chunk: Pick<PlannedChunk, "pdim" | "start" | "end">): { unit: U; keys: PartitionKey<U>[] } {
  const unit = codec.parse(chunk.pdim ?? "");
  return { unit, keys: timeKeys(time, chunk.start, chunk.end).map((t) => keyOf(codec, t, unit)) };
}
