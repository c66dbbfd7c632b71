// The engine's heartbeat for a run, which also reads whether someone asked it to stop: a cancel
// request (pvpipe cancel), or the run is no longer running (closed as lost while this engine
// was suspended).
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface Beat {
  /** The run should stop at its next step boundary. */
  stop: boolean;
  reason: "cancel_requested" | "not_running" | null;
}

export async function beat(sql: Sql, runId: string): Promise<Beat> {
  const rows = await sql<{ cancel_requested: boolean }[]>`
    update ops.runs set heartbeat_at = now()
    where run_id = ${runId} and status = 'running'
    returning cancel_requested_at is not null as cancel_requested
  `;
  if (rows.length === 0) return { stop: true, reason: "not_running" };
  return rows[0].cancel_requested ? { stop: true, reason: "cancel_requested" } : { stop: false, reason: null };
}
