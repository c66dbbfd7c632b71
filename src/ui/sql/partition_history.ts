// One partition's story (the partition page): every materialization with its row count, data and
// code versions and error, and the check results recorded for it, each marked current or replaced.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface MaterializationRow {
  id: number;
  run_id: string;
  status: string;
  row_count: number;
  data_version: string | null;
  code_version: string;
  started_at: Date;
  finished_at: Date;
  error: string | null;
}

export interface CheckResultRow {
  id: number;
  check_name: string;
  unit: string | null;
  day: string | null;
  passed: boolean;
  severity: string;
  blocking: boolean;
  value: number | null;
  message: string;
  run_id: string | null;
  checked_at: Date;
  current: boolean;
}

export interface EvaluationRow {
  check_name: string;
  severity: string;
  blocking: boolean;
  subjects: number;
  passed: number;
  checked_at: Date;
  run_id: string | null;
}

export async function materializationHistory(sql: Sql, asset: string, partition: string, limit = 100): Promise<MaterializationRow[]> {
  return sql<MaterializationRow[]>`
    select id::int as id, run_id, status, row_count, data_version, code_version, started_at, finished_at, error
    from ops.materializations where asset = ${asset} and partition = ${partition}
    order by id desc limit ${limit}`;
}

export async function partitionCheckResults(sql: Sql, asset: string, partition: string, limit = 200): Promise<CheckResultRow[]> {
  return sql<CheckResultRow[]>`
    select c.id::int as id, c.check_name, c.unit, to_char(c.day, 'YYYY-MM-DD') as day, c.passed, c.severity, c.blocking,
           c.value, c.message, c.run_id, c.checked_at,
           exists (select 1 from ops.check_results_current k where k.id = c.id) as current
    from ops.check_results c where c.asset = ${asset} and c.partition = ${partition}
    order by c.checked_at desc, c.id desc limit ${limit}`;
}

export async function partitionEvaluations(sql: Sql, asset: string, partition: string): Promise<EvaluationRow[]> {
  return sql<EvaluationRow[]>`
    select check_name, severity, blocking, subjects, passed, checked_at, run_id
    from ops.check_evaluations_current where asset = ${asset} and partition = ${partition}
    order by check_name`;
}
