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
const STATUSES = Object.keys(RANK) as PartitionStatus[];

export async function statusCounts(sql: Sql, q: StateQuery): Promise<StatusCounts> {
  const st = partitionStates(sql, q);
  // One row per time key: the existing partitions counted by status in one pass (grouped by the
  // key alone, so each parallel worker aggregates its share), and the expected count (the
  // dimension keys whose run has started by then); what is expected and absent is 'missing'.
  const rows = await sql<{ pdate: string; expected: number; n: number; failed: number; stale: number; empty: number }[]>`
    with ${st.dims},
    starts as (select first_ord, count(*)::int as n from dims group by first_ord),
    expected as (
      select o, sum(coalesce(s.n, 0)) over (order by o)::int as n
      from generate_series((select min(first_ord) from starts), (select max(last_ord) from dims)) as g(o)
      left join starts s on s.first_ord = g.o
    ),
    existing as (
      select ${st.ord(sql`ap.pdate`)} as o, count(*)::int as n,
        count(*) filter (where ${st.isFailed})::int as failed,
        count(*) filter (where not ${st.isFailed} and ${st.isStale})::int as stale,
        count(*) filter (where ap.status = 'empty' and ${st.isStale} is not true)::int as empty
      ${st.inRuns}
      group by 1
    )
    select ${st.keyText("o")} as pdate, e.n as expected, coalesce(x.n, 0) as n,
           coalesce(x.failed, 0) as failed, coalesce(x.stale, 0) as stale, coalesce(x.empty, 0) as empty
    from expected e left join existing x using (o)
    order by o
  `;
  const counts: Record<PartitionStatus, number> = { materialized: 0, stale: 0, failed: 0, missing: 0 };
  const bar: StatusCounts["bar"] = [];
  let empty = 0;
  for (const r of rows) {
    const day: Record<PartitionStatus, number> = {
      failed: r.failed,
      stale: r.stale,
      materialized: r.n - r.failed - r.stale,
      missing: Math.max(0, r.expected - r.n),
    };
    let worst: PartitionStatus | undefined;
    for (const s of STATUSES) {
      counts[s] += day[s];
      if (day[s] > 0 && (!worst || RANK[s] > RANK[worst])) worst = s;
    }
    empty += r.empty;
    if (worst) bar.push({ pdate: r.pdate, status: worst });
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { asset: q.asset.key, total, counts, empty, bar };
}
