// A run by its id or an unambiguous prefix of it (as git takes a short hash).
import type { Sql } from "../../../f/lib/db/resource.ts";

export type FoundRun = { run_id: string; flow: string; status: string } | { ambiguous: string[] } | null;

export async function findRun(sql: Sql, idOrPrefix: string): Promise<FoundRun> {
  const rows = await sql<{ run_id: string; flow: string; status: string }[]>`
    select run_id, flow, status from ops.runs
    where run_id = ${idOrPrefix}
       or (length(${idOrPrefix}) >= 4 and run_id like ${escapeLike(idOrPrefix)} || '%')
    order by run_id = ${idOrPrefix} desc, started_at desc
    limit 6
  `;
  if (rows.length === 0) return null;
  if (rows[0].run_id === idOrPrefix || rows.length === 1) return rows[0];
  return { ambiguous: rows.map((r) => r.run_id) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
