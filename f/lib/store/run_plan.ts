// The plan of a run (period, policy, planned partitions) on its ops.runs row, so reports and
// alerts know what was expected even for scheduled flows whose inputs carry no dates.
import type { Sql } from "../db/resource.ts";

export interface RunPlan {
  source: string;
  asset: string;
  start: string;
  end: string;
  policy: string;
  partitions: number;
  chunks: number;
}

export async function recordRunPlan(sql: Sql, runId: string, plan: RunPlan): Promise<void> {
  await sql`update ops.runs set plan = ${sql.json(plan as never)} where run_id = ${runId}`;
}
