// Partition counts by status for one asset and range, plus a per-day worst-status series for
// the health bar. One query; no per-partition work in JS.
import type { Sql } from "../db/resource.ts";
import { partitionStatesFragment, type PartitionStatus, type StateQuery } from "./partition_states.ts";

export interface StatusCounts {
  asset: string;
  total: number;
  counts: Record<PartitionStatus, number>;
  empty: number;
  /** One entry per time key (oldest first): the worst status among that day's partitions. */
  bar: { pdate: string; status: PartitionStatus }[];
}

const RANK: Record<PartitionStatus, number> = { materialized: 0, stale: 1, missing: 2, failed: 3 };

export async function statusCounts(sql: Sql, q: StateQuery): Promise<StatusCounts> {
  const rows = await sql<{ pdate: string; status: PartitionStatus; n: number; empty: number }[]>`
    select to_char(s.pdate, 'YYYY-MM-DD') as pdate, s.status, count(*)::int as n,
           count(*) filter (where s.empty and s.status = 'materialized')::int as empty
    from (${partitionStatesFragment(sql, q)}) s
    group by s.pdate, s.status
    order by s.pdate
  `;
  const counts: Record<PartitionStatus, number> = { materialized: 0, stale: 0, failed: 0, missing: 0 };
  const worst = new Map<string, PartitionStatus>();
  let empty = 0;
  for (const r of rows) {
    counts[r.status] += r.n;
    empty += r.empty;
    const w = worst.get(r.pdate);
    if (!w || RANK[r.status] > RANK[w]) worst.set(r.pdate, r.status);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { asset: q.asset.key, total, counts, empty, bar: [...worst].map(([pdate, status]) => ({ pdate, status })) };
}
