// Stage rows belong to one run. Rows of runs that ended, or that were abandoned (a killed
// process leaves its run 'running' forever), are removed before new work is planned.
import type { Sql } from "../db/resource.ts";

const ABANDONED_AFTER = "2 days";

export async function collectStageGarbage(sql: Sql): Promise<number> {
  const tables = await sql<{ table_name: string }[]>`
    select c.table_name from information_schema.columns c
    where c.table_schema = 'stage' and c.column_name = 'run_id'
    order by 1`;
  let removed = 0;
  for (const { table_name } of tables) {
    const res = await sql.unsafe(
      `delete from stage."${table_name.replace(/"/g, '""')}" s
       using ops.runs r
       where r.run_id = s.run_id and (r.status <> 'running' or r.started_at < ops.clock_now() - interval '${ABANDONED_AFTER}')`,
    );
    removed += res.count;
  }
  return removed;
}
