// Partitions a collect step can skip: fetched earlier in this run (a retried step resumes), or —
// unless a refetch is asked for — whose raw payload is already stored with the raw asset's current
// code version (fetched before a quota stop, or only the served asset is stale): staging reuses it.
// `refresh` are partitions whose stored payload is never reused (KOEN months fetched while partial).
import type { Sql } from "../db/resource.ts";
import { partitionDateRange } from "./partition_dates.ts";

export async function rawPartitionsToSkip(
  sql: Sql,
  raw: { key: string; codeVersion: string },
  o: { runId: string; partitions: string[]; refetch: boolean; refresh: string[] },
): Promise<Set<string>> {
  // Bounded by the keys' dates as well: with the statistics of a table a backfill is filling, the
  // planner read every partition of the asset through the (asset, pdate) index (7 ms a chunk at
  // 11,000 partitions, 17 % of a year's backfill's database time); now at most the range's days.
  const days = partitionDateRange(o.partitions);
  const rows = await sql<{ partition: string }[]>`
    select partition from ops.asset_partitions
    where asset = ${raw.key} and partition = any(${o.partitions}::text[]) and status <> 'failed'
      ${days ? sql`and pdate between ${days.first}::date and ${days.last}::date` : sql``}
      and (run_id = ${o.runId}
           or (not ${o.refetch} and code_version = ${raw.codeVersion} and partition <> all(${o.refresh}::text[])))
  `;
  return new Set(rows.map((r) => r.partition));
}
