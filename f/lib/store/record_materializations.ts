// Record materializations: append to the event log and move the latest partition state, in the
// caller's transaction, as one set-based statement each.
import { now } from "../time/clock.ts";
import type { Sql } from "../db/resource.ts";

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
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({
    asset: r.asset,
    partition: r.partition,
    status: r.status,
    row_count: r.rowCount,
    data_version: r.dataVersion,
    code_version: r.codeVersion,
    started_at: (r.startedAt ?? now()).toISOString(),
    error: r.error ?? null,
  }));
  await sql`
    with input as (
      select * from jsonb_to_recordset(${sql.json(payload)}::jsonb) as t(
        asset text, partition text, status text, row_count int, data_version text,
        code_version text, started_at timestamptz, error text)
    ), logged as (
      insert into ops.materializations
        (asset, partition, run_id, status, row_count, data_version, code_version, started_at, finished_at, error)
      select asset, partition, ${runId}, status, row_count, data_version, code_version, started_at, ops.clock_now(), error
      from input
      returning asset
    )
    insert into ops.asset_partitions as ap
      (asset, partition, pdate, pdim, status, run_id, row_count, data_version, code_version,
       materialized_at, attempted_at, error)
    select distinct on (input.asset, input.partition)
      input.asset, input.partition,
      case when partition ~ '^\\d{4}-\\d{2}-\\d{2}' then left(partition, 10)::date end,
      case when partition ~ '^\\d{4}-\\d{2}-\\d{2}' then nullif(substr(partition, 12), '') else partition end,
      status, ${runId}, row_count, data_version, code_version,
      case when status <> 'failed' then ops.clock_now() end, ops.clock_now(), error
    from input
    order by input.asset, input.partition
    on conflict (asset, partition) do update set
      status          = excluded.status,
      run_id          = excluded.run_id,
      attempted_at    = excluded.attempted_at,
      error           = excluded.error,
      row_count       = case when excluded.status = 'failed' then ap.row_count else excluded.row_count end,
      data_version    = case when excluded.status = 'failed' then ap.data_version else excluded.data_version end,
      code_version    = case when excluded.status = 'failed' then ap.code_version else excluded.code_version end,
      materialized_at = case when excluded.status = 'failed' then ap.materialized_at else excluded.materialized_at end
  `;
  // upstream_at (migration 0015): these partitions learn their upstream partitions' latest
  // materialization, and their downstream partitions learn theirs, so status needs no join.
  const touched = [...new Map(payload.map((p) => [`${p.asset}\u0000${p.partition}`, { asset: p.asset, partition: p.partition }])).values()];
  await sql`
    with touched as (
      select * from jsonb_to_recordset(${sql.json(touched)}::jsonb) as t(asset text, partition text)
    ), own as (
      update ops.asset_partitions ap set upstream_at = u.latest
      from (
        select t.asset, t.partition, max(up.materialized_at) as latest
        from touched t
        join ops.asset_catalog c on c.asset = t.asset
        join ops.asset_partitions up on up.asset = any(c.deps) and up.partition = t.partition
        group by t.asset, t.partition
      ) u
      where ap.asset = u.asset and ap.partition = u.partition and ap.upstream_at is distinct from u.latest
    )
    update ops.asset_partitions d set upstream_at = ap.materialized_at
    from touched t
    join ops.asset_partitions ap on ap.asset = t.asset and ap.partition = t.partition
    join ops.asset_catalog c on t.asset = any(c.deps)
    where d.asset = c.asset and d.partition = t.partition and ap.materialized_at is not null
      and (d.upstream_at is null or d.upstream_at < ap.materialized_at)
  `;
}
