// The status of every expected partition of an asset in a range, computed set-wise in SQL:
// missing (never attempted), failed (latest attempt failed), stale (code version changed, or an
// upstream partition was materialized after it), materialized (success or empty).
//
// Expected partitions are never enumerated: per dimension key they are one contiguous run of time
// keys (its first key .. the range end), so only the partitions that *exist* in
// ops.asset_partitions are read and judged, and "missing" is what the runs leave uncovered
// (bench §3: status and planning over 1,000,000 partitions). Time keys are compared as ordinals
// (days since 2000-01-01, or months since year 0), so one query serves daily and monthly assets.
import type { AssetDef } from "../assets/graph.ts";
import { timeDimension } from "../assets/partitions.ts";
import type postgres from "postgres";
import type { Sql } from "../db/resource.ts";

/** A piece of SQL to embed in a tagged query. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>;

export type PartitionStatus = "missing" | "failed" | "stale" | "materialized";

/** A value of the non-time dimension and the first day it can have data (null = the asset's start). */
export interface DimKey {
  key: string;
  from?: string | null;
}

export interface StateQuery {
  asset: AssetDef;
  start: string;
  end: string;
  /** Keys of the non-time dimension; null for assets with only a time dimension. */
  dims: DimKey[] | null;
}

export interface StateSql {
  /**
   * CTEs to put after `with`: `dims(pdim, first_ord, last_ord)` — each dimension key's expected
   * run of time keys (keys whose run is empty are left out) — and `present(o, pdim, partition, status, empty)` — every existing partition
   * inside those runs with its status (never 'missing').
   */
  ctes: Fragment;
  /** The `dims` CTE alone, for a query that reads the partitions itself. */
  dims: Fragment;
  /**
   * SQL: the conditions on `ops.asset_partitions ap` that select the range's partitions of the
   * dimension key `d.pdim` (a row of `dims`); partitions before the key's own first time key
   * (`d.first_ord`) are not yet left out.
   */
  keyRows: Fragment;
  /** SQL: the status of the partition `ap` (never 'missing'). */
  status: Fragment;
  /** SQL, true when `ap`'s status is 'failed' / 'stale' (what `status` is made of; stale may be null for not stale). */
  isFailed: Fragment;
  isStale: Fragment;
  /** The partitions `ap` of the range joined to their dimension key's run `d`, as `from … where …` (no 'missing'). */
  inRuns: Fragment;
  /** SQL: the ordinal of a date expression. */
  ord: (col: Fragment) => Fragment;
  /** SQL turning the ordinal column `col` back into the time key, as 'YYYY-MM-DD'. */
  keyText: (col: "o" | "ps" | "pe") => Fragment;
}

export function partitionStates(sql: Sql, q: StateQuery): StateSql {
  const t = timeDimension(q.asset.partitions);
  if (!t) throw new Error(`asset ${q.asset.key} has no time dimension; range queries need one`);
  const monthly = t.kind === "monthly";
  const from = q.start < t.start ? t.start : q.start;
  const fromAligned = monthly ? `${from.slice(0, 7)}-01` : from;
  const end = monthly ? `${q.end.slice(0, 7)}-01` : q.end;
  const dimKeys = q.dims?.map((d) => d.key) ?? [null];
  const dimFrom = q.dims?.map((d) => d.from ?? null) ?? [null];
  // Ordinal of a date column; a dimension's own first day rounds up to the next time key.
  const ord = (col: Fragment) =>
    monthly ? sql`(extract(year from ${col})::int * 12 + extract(month from ${col})::int - 1)` : sql`(${col} - date '2000-01-01')`;
  const ordUp = (col: Fragment) => (monthly ? sql`(${ord(col)} + (extract(day from ${col}) > 1)::int)` : ord(col));
  const apDim = q.dims ? sql`ap.pdim = d.pdim` : sql`ap.pdim is null`;
  const keyRows = sql`ap.asset = ${q.asset.key} and ${apDim} and ap.pdate between ${fromAligned}::date and ${end}::date`;
  const isFailed = sql`ap.status = 'failed'`;
  const isStale = sql`(ap.code_version <> ${q.asset.codeVersion} or ap.upstream_at > ap.materialized_at)`;
  const status = sql`case when ${isFailed} then 'failed' when ${isStale} then 'stale' else 'materialized' end`;
  const dimRuns = sql`
    select * from (
      select u.pdim,
             greatest(${ord(sql`${fromAligned}::date`)}, coalesce(${ordUp(sql`u.pfrom`)}, -2147483648)) as first_ord,
             ${ord(sql`${end}::date`)} as last_ord
      from unnest(${dimKeys as string[]}::text[], ${dimFrom as string[]}::date[]) as u(pdim, pfrom)
    ) k
    where first_ord <= last_ord`;
  const dims = sql`dims as (${dimRuns})`;
  // `present` joins the runs as a subquery, not the `dims` CTE: a CTE read twice is materialized,
  // and a scan of a materialized CTE keeps the join and any aggregate above it out of parallel
  // workers (bench §3: one scan of 1 M partitions, two cores).
  const inRuns = sql`from ops.asset_partitions ap join (${dimRuns}) d on ${keyRows} where ${ord(sql`ap.pdate`)} >= d.first_ord`;
  const ctes = sql`${dims},
    present as (
      select ${ord(sql`ap.pdate`)} as o, ap.pdim, ap.partition, ${status} as status, ap.status = 'empty' as empty
      ${inRuns}
    )`;
  const keyText = (col: "o" | "ps" | "pe") => {
    const c = { o: sql`o`, ps: sql`ps`, pe: sql`pe` }[col];
    return monthly
      ? sql`to_char(make_date(${c} / 12, ${c} % 12 + 1, 1), 'YYYY-MM-DD')`
      : sql`to_char(date '2000-01-01' + ${c}, 'YYYY-MM-DD')`;
  };
  return { ctes, dims, keyRows, status, isFailed, isStale, inRuns, ord, keyText };
}
