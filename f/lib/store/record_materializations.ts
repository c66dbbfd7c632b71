// Record materializations: append to the event log and move the latest partition state, in the
// caller's transaction, as one set-based statement per asset.
import { now } from "../time/clock.ts";
import type { Sql } from "../db/resource.ts";
import { partitionDateRange } from "./partition_dates.ts";

export type MaterializationStatus = "success" | "empty" | "failed";

export interface MaterializationRow {
  asset: string;
  partition: string;
  status: MaterializationStatus;
  rowCount: number;
  dataVersion: string | null;
  codeVersion: string;
  startedAt?: Date;
  error?: string | null;
}

export async function recordMaterializations(sql: Sql, runId: string, rows: MaterializationRow[]): Promise<void> {
  // One statement per asset: upstream_at below is read from other assets' rows, which a statement
  // must not also write. A batch of several assets (only ever in tests) goes asset by asset at one
  // instant, as if it were one statement.
  const byAsset = new Map<string, MaterializationRow[]>();
  for (const r of rows) byAsset.set(r.asset, [...(byAsset.get(r.asset) ?? []), r]);
  const at = byAsset.size > 1 ? (await sql<{ at: Date }[]>`select ops.clock_now() as at`)[0].at : null;
  for (const [asset, batch] of byAsset) await recordAssetMaterializations(sql, runId, asset, batch, at);
}

/**
 * The event log, the latest partition state, and upstream_at (migration 0015) both ways in one
 * statement: each written partition learns the newest materialization of its upstream partitions
 * (same key), and its downstream partitions learn its own. Both go through the primary key without
 * a join the planner could turn into a scan: the upstream time is a lateral aggregate per
 * partition, and the downstream rows are the downstream assets × the partitions materialized now,
 * whose time is the statement's clock (a failed attempt keeps its materialized_at, which its
 * downstream partitions already know). Joined by `=` instead, the planner — without statistics
 * on a table a backfill is filling, 100 rows assumed for jsonb_to_recordset — scanned
 * ops.asset_partitions whole for every chunk (~1,400 buffers a call at 22,000 partitions: 40 % of
 * a year's backfill's database time).
 */
async function recordAssetMaterializations(sql: Sql, runId: string, asset: string, rows: MaterializationRow[], at: Date | null): Promise<void> {
  const payload = rows.map((r) => ({
    partition: r.partition,
    status: r.status,
    row_count: r.rowCount,
    data_version: r.dataVersion,
    code_version: r.codeVersion,
    started_at: (r.startedAt ?? now()).toISOString(),
    error: r.error ?? null,
  }));
  const materialized = [...new Set(rows.filter((r) => r.status !== "failed").map((r) => r.partition))];
  const days = partitionDateRange(materialized);
  await sql`
    with clock as (
      select coalesce(${at}::timestamptz, ops.clock_now()) as now
    ), input as (
      select * from jsonb_to_recordset(${sql.json(payload)}::jsonb) as t(
        partition text, status text, row_count int, data_version text,
        code_version text, started_at timestamptz, error text)
    ), logged as (
      insert into ops.materializations
        (asset, partition, run_id, status, row_count, data_version, code_version, started_at, finished_at, error)
      select ${asset}, partition, ${runId}, status, row_count, data_version, code_version, started_at, k.now, error
      from input cross join clock k
      returning asset
    ), written as (
      insert into ops.asset_partitions as ap
        (asset, partition, pdate, pdim, status, run_id, row_count, data_version, code_version,
         materialized_at, attempted_at, error, upstream_at)
      select distinct on (i.partition)
        ${asset}, i.partition,
        case when i.partition ~ '^\\d{4}-\\d{2}-\\d{2}' then left(i.partition, 10)::date end,
        case when i.partition ~ '^\\d{4}-\\d{2}-\\d{2}' then nullif(substr(i.partition, 12), '') else i.partition end,
        i.status, ${runId}, i.row_count, i.data_version, i.code_version,
        case when i.status <> 'failed' then k.now end, k.now, i.error, u.latest
      from input i
      cross join clock k
      left join ops.asset_catalog c on c.asset = ${asset}
      left join lateral (
        select max(up.materialized_at) as latest
        from ops.asset_partitions up
        where up.asset = any(c.deps) and up.partition = i.partition
      ) u on true
      order by i.partition
      on conflict (asset, partition) do update set
        status          = excluded.status,
        run_id          = excluded.run_id,
        attempted_at    = excluded.attempted_at,
        error           = excluded.error,
        row_count       = case when excluded.status = 'failed' then ap.row_count else excluded.row_count end,
        data_version    = case when excluded.status = 'failed' then ap.data_version else excluded.data_version end,
        code_version    = case when excluded.status = 'failed' then ap.code_version else excluded.code_version end,
        materialized_at = case when excluded.status = 'failed' then ap.materialized_at else excluded.materialized_at end,
        -- materialized_at is never cleared, so an upstream partition that has one keeps a time here
        upstream_at     = coalesce(excluded.upstream_at, ap.upstream_at)
    )
    update ops.asset_partitions d set upstream_at = k.now
    from clock k
    where d.asset = any(array(select c.asset from ops.asset_catalog c where ${asset} = any(c.deps)))
      and d.partition = any(${materialized}::text[])
      ${days ? sql`and d.pdate between ${days.first}::date and ${days.last}::date` : sql``}
      and (d.upstream_at is null or d.upstream_at < k.now)
  `;
}
