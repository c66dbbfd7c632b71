// The planner: asset + range + dimension keys + policy → chunks of contiguous dates per unit,
// each at most `maxChunkDays` long. Gaps-and-islands in SQL, so a million partitions plan fast.
import type { Sql } from "../db/resource.ts";
import { partitionStates, type StateQuery } from "../store/partition_states.ts";
import type { Chunk } from "./chunk.ts";
import { policyStatuses } from "./policy.ts";

export type { Chunk };

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
  const st = partitionStates(sql, req, { withStatus: statuses.some((x) => x !== "missing") });
  const include = req.include ?? [];
  // Islands of selected time keys per dimension key, found in one of two ways:
  const islands = statuses.includes("missing")
    ? // Each key expects one contiguous run of time keys; the existing partitions the policy does
      // not select cut it into islands (so absent partitions are never enumerated).
      sql`
    kept as (
      select pdim, o from present
      where not (coalesce(status = any(${statuses}::text[]), false) or partition = any(${include}::text[]))
    ),
    marks as (
      select pdim, o from kept
      union all select pdim, first_ord - 1 from dims
      union all select pdim, last_ord + 1 from dims
    ),
    islands as (
      select pdim, prev + 1 as s, o - 1 as e
      from (select pdim, o, lag(o) over (partition by pdim order by o) as prev from marks) m
      where o - prev > 1
    ),`
    : // Only existing partitions (failed, stale, …) and the included keys are selected: classic
      // gaps-and-islands over them.
      sql`
    inc as (
      select split_part(p, '|', 1)::date as pdate, nullif(substr(p, length(split_part(p, '|', 1)) + 2), '') as pdim
      from unnest(${include}::text[]) as p
    ),
    sel as (
      select pdim, o from present where status = any(${statuses}::text[]) or partition = any(${include}::text[])
      union
      select d.pdim, ${st.ord(sql`inc.pdate`)} from inc join dims d on inc.pdim is not distinct from d.pdim
      where ${st.ord(sql`inc.pdate`)} between d.first_ord and d.last_ord
    ),
    islands as (
      select pdim, min(o) as s, max(o) as e
      from (select pdim, o, o - row_number() over (partition by pdim order by o) as g from sel) x
      group by pdim, g
    ),`;
  const rows = await sql<{ pdim: string | null; start: string; end: string; partitions: number }[]>`
    with ${st.ctes},
    ${islands}
    pieces as (
      select pdim, s + k * ${maxChunk} as ps, least(e, s + k * ${maxChunk} + ${maxChunk} - 1) as pe
      from islands, generate_series(0, (e - s) / ${maxChunk}) as k
    )
    select pdim, ${st.keyText("ps")} as start, ${st.keyText("pe")} as "end", (pe - ps + 1)::int as partitions
    from pieces
    order by ps, pdim
  `;
  return rows.map((r) => ({ asset: req.asset.key, pdim: r.pdim, start: r.start, end: r.end, partitions: r.partitions }));
}
