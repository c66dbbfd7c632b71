// ops.check_evaluations / ops.check_results: an evaluation per (partition, check) each time a check
// runs (subjects judged, passed) and a row per failing subject with its figure; read back for
// `pvpipe status` (the current state in a window of days), `pvpipe checks` (failing plant-days
// recorded since a time) and the run report. Subject checks write through chunk_checks_sql.ts;
// freshness (one subject, the asset) through recordFreshness.
import type { Sql } from "../db/resource.ts";

export type CheckSeverity = "warn" | "error";

export interface FreshnessRecord {
  asset: string;
  partition: string;
  day: string;
  passed: boolean;
  severity: CheckSeverity;
  blocking: boolean;
  value: number | null;
  message: string;
}

/** One freshness evaluation and its result row (kept whether it passed or not: one per evaluation). */
export async function recordFreshness(sql: Sql, runId: string | null, r: FreshnessRecord): Promise<void> {
  await sql`
    with ev as (
      insert into ops.check_evaluations (asset, partition, check_name, severity, blocking, subjects, passed, day_from, day_to, run_id, checked_at)
      values (${r.asset}, ${r.partition}, 'freshness', ${r.severity}, ${r.blocking}, 1, ${r.passed ? 1 : 0}, ${r.day}::date, ${r.day}::date, ${runId}, ops.clock_now())
      returning id
    )
    insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, value, message, run_id, day, unit, evaluation_id, checked_at)
    select ${r.asset}, ${r.partition}, 'freshness', ${r.passed}, ${r.severity}, ${r.blocking}, ${r.value}, ${r.message}, ${runId}, ${r.day}::date, null, ev.id, ops.clock_now()
    from ev`;
}

export interface CheckOffender {
  check_name: string;
  /** The unit (or, for partition-level results, the partition) that fails. */
  subject: string;
  severity: CheckSeverity;
  count: number;
}

export interface CheckStatus {
  /** Subject results of the current evaluations in the window (plus the latest freshness). */
  results: number;
  failing: number;
  errors: number;
  warnings: number;
  blocking: number;
  offenders: CheckOffender[];
}

/**
 * The current check state of an asset over a window of days: the current evaluations whose days
 * overlap the window and the current failures on days in it, plus the most recent freshness
 * evaluation (freshness is about now, so an old late day stops counting once a newer one passes).
 */
export async function checkStatus(sql: Sql, asset: string, start: string, end: string, topN = 3): Promise<CheckStatus> {
  const [row] = await sql<(Omit<CheckStatus, "offenders"> & { offenders: CheckOffender[] | null })[]>`
    with fresh as (
      select id, subjects from ops.check_evaluations
      where asset = ${asset} and check_name = 'freshness' order by id desc limit 1
    ), ev as (
      -- Partition keys start with their day (or month): the window is a key range, then exact days.
      select subjects from ops.check_evaluations_current
      where asset = ${asset} and check_name <> 'freshness'
        and partition >= to_char(date_trunc('month', ${start}::date), 'YYYY-MM-DD') and partition < to_char(${end}::date + 1, 'YYYY-MM-DD')
        and day_to >= ${start}::date and day_from <= ${end}::date
    ), failing as (
      select check_name, partition, unit, severity, blocking from ops.check_results_current
      where asset = ${asset} and not passed and check_name <> 'freshness' and day between ${start}::date and ${end}::date
      union all
      select c.check_name, c.partition, c.unit, c.severity, c.blocking
      from ops.check_results c join fresh f on c.evaluation_id = f.id where not c.passed
    ), offenders as (
      select check_name, coalesce(unit, partition) as subject,
             case when bool_or(severity = 'error') then 'error' else 'warn' end as severity, count(*)::int as count
      from failing group by check_name, coalesce(unit, partition)
      order by bool_or(severity = 'error') desc, count(*) desc, check_name, 2
      limit ${topN}
    )
    select (coalesce((select sum(subjects) from ev), 0) + coalesce((select sum(subjects) from fresh), 0))::int as results,
           (select count(*) from failing)::int as failing,
           (select count(*) from failing where severity = 'error')::int as errors,
           (select count(*) from failing where severity = 'warn')::int as warnings,
           (select count(*) from failing where severity = 'error' and blocking)::int as blocking,
           (select json_agg(o) from offenders o) as offenders`;
  return { ...row, offenders: row.offenders ?? [] };
}

/** `checks: 14 failing (one_cell_day 997S-1 ×14) — 14 error, 0 warn`. */
export function describeCheckStatus(s: CheckStatus): string {
  if (s.results === 0 && s.failing === 0) return "checks: none run for this window";
  if (s.failing === 0) return `checks: all ${s.results} passing`;
  const shown = s.offenders.reduce((n, o) => n + o.count, 0);
  const top = s.offenders.map((o) => `${o.check_name} ${o.subject} ×${o.count}`).join(", ");
  const more = shown < s.failing ? ", …" : "";
  const blocking = s.blocking ? `, ${s.blocking} blocking` : "";
  return `checks: ${s.failing} failing (${top}${more}) — ${s.errors} error, ${s.warnings} warn${blocking}`;
}

export interface ListedCheck {
  checked_at: string;
  asset: string;
  partition: string;
  /** The plant-day / station-day (KST) the result is about. */
  day: string | null;
  unit: string | null;
  check_name: string;
  severity: CheckSeverity;
  blocking: boolean;
  value: number | null;
  message: string;
  run_id: string | null;
  /** Whether a later evaluation has replaced it. */
  current: boolean;
}

/** Failing results recorded since `since` (every plant-day its own row), newest first; `all` adds passed ones (freshness). */
export async function listChecks(
  sql: Sql,
  o: { since: Date; asset?: string | null; all?: boolean; limit: number },
): Promise<{ total: number; rows: ListedCheck[] }> {
  const where = sql`c.checked_at >= ${o.since} and (${o.asset ?? null}::text is null or c.asset = ${o.asset ?? null}::text)
                    and (${Boolean(o.all)} or not c.passed)`;
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from ops.check_results c where ${where}`;
  const rows = await sql<ListedCheck[]>`
    select to_char(c.checked_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI:SS') as checked_at, c.asset, c.partition,
           to_char(c.day, 'YYYY-MM-DD') as day, c.unit, c.check_name, c.severity, c.blocking, c.value, c.message, c.run_id,
           exists (select 1 from ops.check_results_current k where k.id = c.id) as current
    from ops.check_results c where ${where}
    order by c.checked_at desc, c.day desc nulls last, c.unit, c.check_name, c.id desc limit ${o.limit}`;
  return { total, rows };
}
