// The planner: asset + range + dimension keys + policy → chunks of contiguous dates per unit,
// each at most `maxChunkDays` long. Gaps-and-islands in SQL, so a million partitions plan fast.
import type { Sql } from "../db/resource.ts";
import { partitionStatesFragment, type StateQuery } from "../store/partition_states.ts";
import { policyStatuses } from "./policy.ts";

export interface Chunk {
  asset: string;
  /** Non-time dimension key ('997S-1'), or null. */
  pdim: string | null;
  start: string;
  end: string;
  partitions: number;
}

export interface PlanRequest extends StateQuery {
  policy: string;
  /** Longest chunk in time keys (days, or months for monthly assets). */
  maxChunk?: number;
  /** Partition keys to plan whatever their status (still only within the range and dimensions). */
  include?: string[];
}

export async function planChunks(sql: Sql, req: PlanRequest): Promise<Chunk[]> {
  const statuses = policyStatuses(req.policy);
  const maxChunk = Math.max(1, req.maxChunk ?? 31);
  const rows = await sql<{ pdim: string | null; start: string; end: string; partitions: number }[]>`
    with needed as (
      select pdate, pdim from (${partitionStatesFragment(sql, req)}) s
      where s.status = any(${statuses}::text[]) or s.partition = any(${req.include ?? []}::text[])
    ), islands as (
      select pdim, pdate,
        dense_rank() over (partition by pdim order by pdate) as rn,
        pdate - (dense_rank() over (partition by pdim order by pdate))::int as island_day,
        extract(year from pdate)::int * 12 + extract(month from pdate)::int
          - (dense_rank() over (partition by pdim order by pdate))::int as island_month
      from needed
    ), pieces as (
      select pdim, pdate,
        case when ${isMonthly(req)} then island_month::bigint else (island_day - date '2000-01-01')::bigint end as island,
        (row_number() over (partition by pdim,
          case when ${isMonthly(req)} then island_month::bigint else (island_day - date '2000-01-01')::bigint end
          order by pdate) - 1) / ${maxChunk} as piece
      from islands
    )
    select pdim, to_char(min(pdate), 'YYYY-MM-DD') as start, to_char(max(pdate), 'YYYY-MM-DD') as "end",
           count(*)::int as partitions
    from pieces
    group by pdim, island, piece
    order by min(pdate), pdim
  `;
  return rows.map((r) => ({ asset: req.asset.key, pdim: r.pdim, start: r.start, end: r.end, partitions: r.partitions }));
}

function isMonthly(req: PlanRequest): boolean {
  const p = req.asset.partitions;
  return p.kind === "monthly" || (p.kind === "product" && p.dims[0].kind === "monthly");
}
