// What a run did, from its materializations: partitions by asset and status, rows, failures.
import type { Sql } from "../db/resource.ts";
import type { RunPlan } from "./run_plan.ts";

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

export async function runReport(sql: Sql, runId: string): Promise<RunReport> {
  const assets = await sql<RunReport["assets"]>`
    select asset,
      count(*) filter (where status = 'success')::int as success,
      count(*) filter (where status = 'empty')::int as empty,
      count(*) filter (where status = 'failed')::int as failed,
      coalesce(sum(row_count) filter (where status = 'success'), 0)::int as rows,
      0 as blocked
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
  const [run] = await sql<{ flow: string; status: RunReport["status"]; started_at: string; finished_at: string | null; engine: string; inputs: Record<string, unknown> | null; plan: RunPlan | null; error: string | null; duration_s: number; started_kst: string }[]>`
    select flow, status, started_at::text, finished_at::text, engine, inputs, plan, error,
      round(extract(epoch from coalesce(finished_at, ops.clock_now()) - started_at))::int as duration_s,
      to_char(started_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as started_kst
    from ops.runs where run_id = ${runId}`;
  const checks = await runChecks(sql, runId);
  for (const b of checks.blocked) {
    const row = assets.find((a) => a.asset === b.asset);
    if (row) row.blocked = b.partitions;
    else assets.push({ asset: b.asset, success: 0, empty: 0, failed: 0, rows: 0, blocked: b.partitions });
  }
  const failedTotal = assets.reduce((n, a) => n + a.failed, 0);
  const [{ failed_partitions }] = await sql<{ failed_partitions: number }[]>`
    select count(distinct partition)::int as failed_partitions from (
      select distinct on (asset, partition) partition, status from ops.materializations
      where run_id = ${runId} order by asset, partition, id desc) m
    where status = 'failed'`;
  return {
    run_id: runId,
    flow: run?.flow ?? null,
    status: run?.status ?? "running",
    assets,
    failures,
    failed_total: failedTotal,
    failed_partitions,
    started_at: run?.started_at ?? null,
    finished_at: run?.finished_at ?? null,
    engine: run?.engine ?? null,
    inputs: run?.inputs ?? {},
    plan: run?.plan ?? null,
    error: run?.error ?? null,
    duration_s: run?.duration_s ?? null,
    started_kst: run?.started_kst ?? null,
    checks: { failed: checks.failed, top: checks.top },
  };
}

/** The latest result of each (asset, partition, check, unit) this run recorded, failing ones only. */
async function runChecks(sql: Sql, runId: string) {
  const failing = sql`
    select * from (
      select distinct on (asset, partition, check_name, coalesce(unit, ''))
        asset, partition, check_name, passed, severity, blocking, day::text as day, unit, message
      from ops.check_results where run_id = ${runId}
      order by asset, partition, check_name, coalesce(unit, ''), checked_at desc, id desc) c
    where not passed`;
  const top = await sql<RunCheckFailure[]>`
    select asset, partition, check_name, severity, blocking, day, unit, message from (${failing}) f
    order by (blocking and severity = 'error') desc, (severity = 'error') desc, partition, asset, check_name, unit limit 5`;
  // Skipped by a blocking check: the next step (impute, ingest) leaves these partitions alone.
  const blocked = await sql<{ asset: string; partitions: number }[]>`
    select asset, count(distinct partition)::int as partitions from (${failing}) f
    where blocking and severity = 'error' group by asset order by asset`;
  const [{ failed }] = await sql<{ failed: number }[]>`select count(*)::int as failed from (${failing}) f`;
  return { top, blocked, failed };
}
