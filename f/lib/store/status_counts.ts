// Partition counts by status for one asset and range, plus a per-day worst-status series for
// the health bar. One query; no per-partition work in JS.
import type { Sql } from "../db/resource.ts";
import { partitionStates, type PartitionStatus, type StateQuery } from "./partition_states.ts";

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
  const st = partitionStates(sql, q);
  // Per time key: the existing partitions by status, and as 'missing' the expected ones that do
  // not exist (expected per key = the dimension keys whose run has started by then).
  const rows = await sql<{ pdate: string; status: PartitionStatus; n: number; empty: number }[]>`
    with ${st.ctes},
    starts as (select first_ord, count(*)::int as n from dims group by first_ord),
    expected as (
      select o, sum(coalesce(s.n, 0)) over (order by o)::int as n
      from generate_series((select min(first_ord) from starts), (select max(last_ord) from dims)) as g(o)
      left join starts s on s.first_ord = g.o
    ),
    existing as (
      select o, status, count(*)::int as n, count(*) filter (where empty and status = 'materialized')::int as empty
      from present group by o, status
    ),
    by_key as (
      select o, status, n, empty from existing
      union all
      select e.o, 'missing', e.n - coalesce(x.n, 0), 0
      from expected e left join (select o, sum(n)::int as n from existing group by o) x using (o)
      where e.n > coalesce(x.n, 0)
    )
    select ${st.keyText("o")} as pdate, status, n, empty from by_key order by o
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
