// Flow runs in ops.runs. Windmill runs use the root flow job id, local runs a fresh uuid.
import { asJson } from "../db/json.ts";
import type { Sql } from "../db/resource.ts";

export type RunStatus = "running" | "success" | "partial" | "failed" | "cancelled";

export async function startRun(
  sql: Sql,
  run: { runId: string; flow: string; engine: "local" | "windmill"; inputs: Record<string, unknown> },
): Promise<void> {
  await sql`
    insert into ops.runs (run_id, flow, engine, inputs)
    values (${run.runId}, ${run.flow}, ${run.engine}, ${sql.json(asJson(run.inputs))})
    on conflict (run_id) do nothing
  `;
}

export async function finishRun(
  sql: Sql,
  runId: string,
  status: RunStatus,
  summary: Record<string, unknown>,
  error?: string | null,
): Promise<void> {
  await sql`
    update ops.runs set status = ${status}, finished_at = ops.clock_now(), summary = ${sql.json(asJson(summary))},
      error = ${error ?? null}
    where run_id = ${runId}
  `;
}

/** The run id a step belongs to: given explicitly, else Windmill's root flow job, else none. */
export function resolveRunId(explicit?: string | null): string {
  const id = explicit || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || process.env.WM_JOB_ID;
  if (!id) throw new Error("no run id: pass run_id, or run inside a Windmill flow");
  return id;
}

/** On Windmill nothing else closes a run a step failed: its failure module does, with the error (a run already closed keeps its end). */
export async function failRun(sql: Sql, runId: string, error: string): Promise<void> {
  await sql`update ops.runs set status = 'failed', finished_at = now(), error = ${error} where run_id = ${runId} and status = 'running'`;
}
