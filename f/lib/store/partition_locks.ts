// Transaction-scoped advisory locks on (asset, partition), taken in sorted order so two
// workers writing overlapping chunks queue instead of interleaving or deadlocking.
import type { Sql } from "../db/resource.ts";

export async function lockPartitions(tx: Sql, asset: string, partitions: string[]): Promise<void> {
  if (partitions.length === 0) return;
  await tx`
    select pg_advisory_xact_lock(hashtextextended(${asset} || '#' || p, 0))
    from (select unnest(${[...partitions].sort()}::text[]) as p order by 1) s
  `;
}
