// Close a run as cancelled — a normal end — with what it completed. A run already closed (the
// report step finished it before the stop) keeps its status.
import { asJson } from "../../../f/lib/db/json.ts";
import type { Sql } from "../../../f/lib/db/resource.ts";

export async function closeCancelled(sql: Sql, runId: string, reason: string, summary: Record<string, unknown> | null = null): Promise<boolean> {
  const rows = await sql`
    update ops.runs set status = 'cancelled', finished_at = ops.clock_now(), error = ${reason},
      summary = coalesce(${summary === null ? null : sql.json(asJson(summary))}::jsonb, summary)
    where run_id = ${runId} and status = 'running'
    returning run_id`;
  return rows.length > 0;
}
