// What a run did, from its materializations and check results: partitions by asset and status,
// rows, failures, failing checks — computed in one aggregate statement (each input read once).
import type { Sql } from "../db/resource.ts";
import type { RunPlan } from "./run_plan.ts";
import type { RunStatus } from "./runs.ts";

export interface RunReport {
  run_id: string;
  flow: string | null;
  status: "success" | "partial" | "failed" | "running" | "cancelled";
  /** `blocked`: partitions of the asset that a failing blocking check (severity error) of this run held back. */
  assets: { asset: string; success: number; empty: number; failed: number; rows: number; blocked: number }[];
  failures: { asset: string; partition: string; error: string | null }[];
  failed_total: number;
  /** Distinct partitions whose latest state in this run is failed (at any asset). */
  failed_partitions: number;
  started_at: string | null;
  finished_at: string | null;
  /** For notifications (f/lib/notify/message.ts): engine, flow inputs, the plan's period, run error. */
  engine: string | null;
  inputs: Record<string, unknown>;
  plan: RunPlan | null;
  error: string | null;
  /** Seconds from start to finish (to now while running). */
  duration_s: number | null;
  started_kst: string | null;
  /** Failing checks recorded by this run (ops.check_results): count and the first five, blocking errors first. */
  checks: { failed: number; top: RunCheckFailure[] };
  /** Some payload of this run was downloaded without verifying the site's certificate (KOEN_TLS_INSECURE=1; each raw file says so). */
  tls_insecure: boolean;
  /** Backfills this (scheduled) run continued after its own day (issue #18); absent in reports built elsewhere. */
  continued?: ContinuedBackfill[];
}

/** A stopped backfill a scheduled run continued: its budget and what became of it. */
export interface ContinuedBackfill {
  run_id: string;
  start: string | null;
  end: string | null;
  plant: string | null;
  unit: number | null;
  requests: number;
  max_requests: number | null;
  partitions: number;
  /** Why the continuation stopped (it waits for the next day), or null. */
  stopped: "budget" | "quota" | null;
  /** This run continued it to the end. */
  finished: boolean;
}

/** A failing check: `day`/`unit` name the plant-day (or station-day) inside the partition when known. */
export interface RunCheckFailure {
  asset: string;
  partition: string;
  check_name: string;
  severity: string;
  blocking: boolean;
  day: string | null;
  unit: string | null;
  message: string;
}

/**
 * The report of a run. Its materializations: the latest per partition. Its failing checks: each
 * plant-day's latest result in this run, unless a later evaluation of the run covered it again.
 */
export async function runReport(sql: Sql, runId: string): Promise<RunReport> {
  const [{ report }] = await sql<{ report: Omit<RunReport, "run_id"> }[]>`
    with m as materialized (
      select distinct on (asset, partition) asset, partition, status, row_count, error
      from ops.materializations where run_id = ${runId} order by asset, partition, id desc
    ), ma as (
      select asset,
        count(*) filter (where status = 'success')::int as success,
        count(*) filter (where status = 'empty')::int as empty,
        count(*) filter (where status = 'failed')::int as failed,
        coalesce(sum(row_count) filter (where status = 'success'), 0)::int as rows
      from m group by asset
    ), cr as materialized (
      select c.id, c.asset, c.partition, c.check_name, c.passed, c.severity, c.blocking, c.day, c.unit, c.message, c.checked_at, c.evaluation_id
      from ops.check_results c where c.run_id = ${runId}
    ), cf as materialized (
      select c.* from cr c
      where not c.passed
        and not exists (select 1 from cr n where n.asset = c.asset and n.partition = c.partition and n.check_name = c.check_name
                          and n.unit is not distinct from c.unit and n.day is not distinct from c.day
                          and (n.checked_at, n.id) > (c.checked_at, c.id))
        and not exists (select 1 from ops.check_evaluations e
                        where e.asset = c.asset and e.partition = c.partition and e.check_name = c.check_name
                          and e.id > coalesce(c.evaluation_id, c.id) and e.run_id = ${runId}
                          and (e.units is null or c.unit = any(e.units)))
    ), cb as (
      select asset, count(distinct partition)::int as blocked from cf where blocking and severity = 'error' group by asset
    ), assets as (
      select coalesce(ma.asset, cb.asset) as asset, coalesce(ma.success, 0) as success, coalesce(ma.empty, 0) as empty,
             coalesce(ma.failed, 0) as failed, coalesce(ma.rows, 0) as rows, coalesce(cb.blocked, 0) as blocked
      from ma full join cb using (asset)
    )
    select json_build_object(
      'assets', coalesce((select json_agg(a order by a.asset) from assets a), '[]'::json),
      'failures', coalesce((select json_agg(f) from (
          select asset, partition, error from m where status = 'failed' order by partition, asset limit 20) f), '[]'::json),
      'failed_total', (select count(*) from m where status = 'failed'),
      'failed_partitions', (select count(distinct partition) from m where status = 'failed'),
      'checks', json_build_object(
        'failed', (select count(*) from cf),
        'top', coalesce((select json_agg(t) from (
            select asset, partition, check_name, severity, blocking, to_char(day, 'YYYY-MM-DD') as day, unit, message from cf
            order by (blocking and severity = 'error') desc, (severity = 'error') desc, partition, asset, check_name, day, unit
            limit 5) t), '[]'::json)),
      'continued', coalesce((select json_agg(json_build_object(
            'run_id', b.continues, 'start', u.inputs->>'start', 'end', u.inputs->>'end', 'plant', nullif(u.inputs->>'plant', ''),
            'unit', nullif(nullif(u.inputs->>'unit', ''), '0')::int, 'requests', b.used, 'max_requests', b.max_requests,
            'partitions', b.partitions, 'stopped', b.stopped, 'finished', coalesce(u.finished_by = ${runId}, false))
          order by b.created_at, b.continues)
        from ops.request_budgets b join ops.unfinished_backfills u on u.run_id = b.continues
        where b.run_id = ${runId}), '[]'::json),
      'tls_insecure', exists (select 1 from raw.koen_files k where k.run_id = ${runId} and k.tls_insecure),
      'flow', r.flow, 'status', coalesce(r.status, 'running'), 'started_at', r.started_at::text, 'finished_at', r.finished_at::text,
      'engine', r.engine, 'inputs', coalesce(r.inputs, '{}'::jsonb), 'plan', r.plan, 'error', r.error,
      'duration_s', round(extract(epoch from coalesce(r.finished_at, ops.clock_now()) - r.started_at))::int,
      'started_kst', to_char(r.started_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI')
    ) as report
    from (select 1) one left join ops.runs r on r.run_id = ${runId}`;
  return { run_id: runId, ...report };
}

/**
 * Close a run with its report: the report once, then the status it implies (partial when any
 * partition failed) and the closing time on ops.runs, returned with the report.
 */
export async function finishRunWithReport(sql: Sql, runId: string): Promise<RunReport> {
  const report = await runReport(sql, runId);
  const status: RunStatus = report.failed_total > 0 ? "partial" : "success";
  const summary = { assets: report.assets, failed: report.failed_total };
  const [closed] = await sql<{ finished_at: string; duration_s: number }[]>`
    update ops.runs set status = ${status}, finished_at = ops.clock_now(), summary = ${sql.json(summary)}, error = null
    where run_id = ${runId}
    returning finished_at::text, round(extract(epoch from finished_at - started_at))::int as duration_s`;
  return closed ? { ...report, status, finished_at: closed.finished_at, duration_s: closed.duration_s } : report;
}
