// The run history (pvpipe runs, the UI's run list): newest first (by started_at, the pipeline
// clock's time: under a pinned clock, as in the tests, processes started later may sort earlier),
// with what each run did.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface RunRow {
  run_id: string;
  flow: string;
  engine: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  duration_s: number | null;
  /** Partitions this run materialized (latest attempt per asset and partition), by outcome. */
  partitions_ok: number;
  partitions_failed: number;
  rows: number;
  error: string | null;
  inputs: Record<string, unknown>;
  cancel_requested: boolean;
}

export interface RunFilter {
  status?: string;
  flow?: string;
  /** One run (the UI's run page). */
  runId?: string;
  limit: number;
}

export async function listRuns(sql: Sql, f: RunFilter): Promise<RunRow[]> {
  return sql<RunRow[]>`
    with r as (
      select * from ops.runs
      where (${f.status ?? null}::text is null or status = ${f.status ?? null})
        and (${f.flow ?? null}::text is null or flow = ${f.flow ?? null})
        and (${f.runId ?? null}::text is null or run_id = ${f.runId ?? null})
      order by started_at desc, run_id
      limit ${f.limit}
    ), m as (
      select run_id,
        count(*) filter (where status in ('success', 'empty'))::int as partitions_ok,
        count(*) filter (where status = 'failed')::int as partitions_failed,
        coalesce(sum(row_count) filter (where status = 'success'), 0)::bigint as rows
      from (select distinct on (run_id, asset, partition) run_id, status, row_count
            from ops.materializations where run_id in (select run_id from r)
            order by run_id, asset, partition, id desc) latest
      group by run_id
    )
    select r.run_id, r.flow, r.engine, r.status, r.started_at, r.finished_at,
      extract(epoch from coalesce(r.finished_at, ops.clock_now()) - r.started_at)::float8 as duration_s,
      coalesce(m.partitions_ok, 0) as partitions_ok, coalesce(m.partitions_failed, 0) as partitions_failed,
      coalesce(m.rows, 0)::float8 as rows, r.error, r.inputs, r.cancel_requested_at is not null as cancel_requested
    from r left join m using (run_id)
    order by r.started_at desc, r.run_id
  `;
}
