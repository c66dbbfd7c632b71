// Failing asset checks per partition and unit in a window of days (the asset page's grid), from
// the current results (ops.check_results_current: a later evaluation of the same partition and
// check replaces them). Freshness is about the asset now, not about a cell: left out.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface CellChecks {
  partition: string;
  /** The unit the results are about (null: the whole partition). */
  unit: string | null;
  failing: number;
  error: boolean;
  checks: string[];
}

export async function cellChecks(sql: Sql, o: { asset: string; start: string; end: string }): Promise<CellChecks[]> {
  return sql<CellChecks[]>`
    select partition, unit, count(*)::int as failing, bool_or(severity = 'error') as error,
           array_agg(distinct check_name order by check_name) as checks
    from ops.check_results_current
    where asset = ${o.asset} and not passed and check_name <> 'freshness'
      and day between ${o.start}::date and ${o.end}::date
    group by partition, unit
  `;
}
