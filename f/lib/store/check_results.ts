// ops.check_results: record asset check results (one set-based insert), and read them back for
// `pvpipe status` (the latest result per check and subject in a window), `pvpipe checks` (failing
// results since a time) and the run report.
import type { Sql } from "../db/resource.ts";

export type CheckSeverity = "warn" | "error";

export interface CheckResultRow {
  asset: string;
  partition: string;
  check_name: string;
  passed: boolean;
  severity: CheckSeverity;
  blocking: boolean;
  value: number | null;
  message: string;
  /** The plant-day / station-day the result is about (null: the whole partition). */
  day: string | null;
  unit: string | null;
}

export async function recordCheckResults(sql: Sql, runId: string | null, rows: CheckResultRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({
    ...r,
    value: r.value === null || !Number.isFinite(r.value) ? null : r.value,
  }));
  await sql`
    insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, value, message, run_id, day, unit)
    select asset, partition, check_name, passed, severity, blocking, value, message, ${runId}, day, unit
    from jsonb_to_recordset(${sql.json(payload as never)}::jsonb) as t(
      asset text, partition text, check_name text, passed boolean, severity text, blocking boolean,
      value float8, message text, day date, unit text)
  `;
}

export interface CheckOffender {
  check_name: string;
  /** The unit (or, for partition-level results, the partition) that fails. */
  subject: string;
  severity: CheckSeverity;
  count: number;
}

export interface CheckStatus {
  /** Latest results considered (one per check and subject in the window, plus the latest freshness). */
  results: number;
  failing: number;
  errors: number;
  warnings: number;
  blocking: number;
  offenders: CheckOffender[];
}

/**
 * The current check state of an asset over a window of days: the latest result of every check and
 * subject whose day is in the window, plus the most recent freshness result (freshness is about
 * now, so an old late day stops counting once a newer evaluation passes).
 */
export async function checkStatus(sql: Sql, asset: string, start: string, end: string, topN = 3): Promise<CheckStatus> {
  const latest = sql`
    select * from (
      select distinct on (check_name, partition, coalesce(unit, ''), day)
             check_name, partition, unit, day, passed, severity, blocking
      from ops.check_results
      where asset = ${asset} and day between ${start}::date and ${end}::date and check_name <> 'freshness'
      order by check_name, partition, coalesce(unit, ''), day, id desc
    ) a
    union all
    (select check_name, partition, unit, day, passed, severity, blocking from ops.check_results
     where asset = ${asset} and check_name = 'freshness' order by id desc limit 1)`;
  const [totals] = await sql<{ results: number; failing: number; errors: number; warnings: number; blocking: number }[]>`
    select count(*)::int as results,
           count(*) filter (where not passed)::int as failing,
           count(*) filter (where not passed and severity = 'error')::int as errors,
           count(*) filter (where not passed and severity = 'warn')::int as warnings,
           count(*) filter (where not passed and severity = 'error' and blocking)::int as blocking
    from (${latest}) l`;
  const offenders = await sql<CheckOffender[]>`
    select check_name, coalesce(unit, partition) as subject,
           case when bool_or(severity = 'error') then 'error' else 'warn' end as severity, count(*)::int as count
    from (${latest}) l where not passed
    group by check_name, coalesce(unit, partition)
    order by bool_or(severity = 'error') desc, count(*) desc, check_name, 2
    limit ${topN}`;
  return { ...(totals ?? { results: 0, failing: 0, errors: 0, warnings: 0, blocking: 0 }), offenders };
}

/** `checks: 14 failing (one_cell_day 997S-1 ×14) — 14 error, 0 warn`. */
export function describeCheckStatus(s: CheckStatus): string {
  if (s.results === 0) return "checks: none run for this window";
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
  unit: string | null;
  check_name: string;
  severity: CheckSeverity;
  blocking: boolean;
  value: number | null;
  message: string;
  run_id: string | null;
}

/** Failing results recorded since `since`, newest first (all results with `all`). */
export async function listChecks(
  sql: Sql,
  o: { since: Date; asset?: string | null; all?: boolean; limit: number },
): Promise<{ total: number; rows: ListedCheck[] }> {
  const where = sql`checked_at >= ${o.since} and (${o.asset ?? null}::text is null or asset = ${o.asset ?? null}::text)
                    and (${Boolean(o.all)} or not passed)`;
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from ops.check_results where ${where}`;
  const rows = await sql<ListedCheck[]>`
    select to_char(checked_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI:SS') as checked_at, asset, partition, unit,
           check_name, severity, blocking, value, message, run_id
    from ops.check_results where ${where}
    order by checked_at desc, id desc limit ${o.limit}`;
  return { total, rows };
}
