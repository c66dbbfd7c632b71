// The plan of a run (period, policy, planned partitions) on its ops.runs row, so reports and
// alerts know what was expected even for scheduled flows whose inputs carry no dates.
import { z } from "zod";
import type { Sql } from "../db/resource.ts";

export const runPlan = z.object({
  source: z.string(),
  asset: z.string(),
  start: z.string(),
  end: z.string(),
  policy: z.string(),
  partitions: z.number().int(),
  /** The plan step returns its chunks; the run keeps how many. */
  chunks: z.union([z.number().int(), z.array(z.unknown()).transform((c) => c.length)]),
});
export type RunPlan = z.output<typeof runPlan>;

export async function recordRunPlan(sql: Sql, runId: string, plan: RunPlan): Promise<void> {
  const { source, asset, start, end, policy, partitions, chunks } = plan;
  await sql`update ops.runs set plan = ${sql.json({ source, asset, start, end, policy, partitions, chunks })} where run_id = ${runId}`;
}
