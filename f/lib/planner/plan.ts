// The planner: asset + range + dimension keys + policy → chunks of contiguous dates per unit,
// each at most `maxChunkDays` long. Gaps-and-islands in SQL, so a million partitions plan fast.
import type { Sql } from "../db/resource.ts";
import { partitionStates, type Fragment, type PartitionStatus, type StateQuery } from "../store/partition_states.ts";
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
  const st = partitionStates(sql, req);
  const include = req.include ?? [];
  // Islands of selected time keys per dimension key, found in one of two ways:
  const islands = statuses.includes("missing")
    ? // Each key expects one contiguous run of time keys; the existing partitions the policy does
      // not select ("kept") cut it into islands, so absent partitions are never enumerated. Per
      // key, the kept ordinals come in time order from the index (asset, pdim, pdate) into one
      // array between two sentinels, and an island is a step of more than 1 between neighbours:
      // no sort and no window over the range's partitions (bench §3). Kept partitions before the
      // key's first time key only clip the island that reaches past it. A key listed twice is
      // planned once.
      sql`
    bounds as materialized (
      select d.pdim, d.first_ord, array[d.first_ord - 1] || k.os || array[d.last_ord + 1] as b
      from (select pdim, min(first_ord) as first_ord, max(last_ord) as last_ord from dims group by pdim) d
      cross join lateral (
        select array_agg(${st.ord(sql`ap.pdate`)} order by ap.pdate) as os
        from ops.asset_partitions ap
        where ${st.keyRows}${keptOnly(sql, st.status, statuses, include)}
      ) k
    ),
    islands as (
      select pdim, s, e from (
        select pdim, greatest(o + 1, first_ord) as s, b[i + 1] - 1 as e
        from bounds, unnest(b) with ordinality as t(o, i)
      ) g
      where s <= e
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
    with ${statuses.includes("missing") ? st.dims : st.ctes},
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

/**
 * SQL: leave out of `ap` the partitions the policy selects or the request includes. Each condition
 * is written only when it can select something: without them the scan needs no table column and
 * stays index-only.
 */
function keptOnly(sql: Sql, status: Fragment, statuses: PartitionStatus[], include: string[]): Fragment {
  const existing = statuses.filter((x) => x !== "missing");
  const byStatus = existing.length ? sql` and ${status} <> all(${existing}::text[])` : sql``;
  const byKey = include.length ? sql` and ap.partition <> all(${include}::text[])` : sql``;
  return sql`${byStatus}${byKey}`;
}
