// What a run did, from its materializations: partitions by asset and status, rows, failures.
import type { Sql } from "../db/resource.ts";

export interface RunReport {
  run_id: string;
  flow: string | null;
  status: "success" | "partial" | "failed" | "running" | "stopped";
  assets: { asset: string; success: number; empty: number; failed: number; rows: number }[];
  failures: { asset: string; partition: string; error: string | null }[];
  failed_total: number;
  started_at: string | null;
  finished_at: string | null;
}

export async function runReport(sql: Sql, runId: string): Promise<RunReport> {
  const assets = await sql<RunReport["assets"]>`
    select asset,
      count(*) filter (where status = 'success')::int as success,
      count(*) filter (where status = 'empty')::int as empty,
      count(*) filter (where status = 'failed')::int as failed,
      coalesce(sum(row_count) filter (where status = 'success'), 0)::int as rows
    from (select distinct on (asset, partition) * from ops.materializations
          where run_id = ${runId} order by asset, partition, id desc) m
    group by asset order by asset
  `;
  const failures = await sql<RunReport["failures"]>`
    select asset, partition, error from (
      select distinct on (asset, partition) * from ops.materializations
      where run_id = ${runId} order by asset, partition, id desc) m
    where status = 'failed' order by partition, asset limit 20
  `;
  const [run] = await sql<{ flow: string; status: RunReport["status"]; started_at: string; finished_at: string | null }[]>`
    select flow, status, started_at::text, finished_at::text from ops.runs where run_id = ${runId}`;
  const failedTotal = assets.reduce((n, a) => n + a.failed, 0);
  return {
    run_id: runId,
    flow: run?.flow ?? null,
    status: run?.status ?? "running",
    assets,
    failures,
    failed_total: failedTotal,
    started_at: run?.started_at ?? null,
    finished_at: run?.finished_at ?? null,
  };
}
