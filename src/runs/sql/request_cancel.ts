// Ask a running run to stop (pvpipe cancel, the UI's Cancel): its engine, in whatever process,
// reads the request with its next heartbeat and stops at the next step boundary.
import type { Pool } from "../../../f/lib/db/resource.ts";

export type CancelOutcome =
  | { outcome: "requested"; run_id: string }
  | { outcome: "already_requested"; run_id: string }
  | { outcome: "not_running"; run_id: string; status: string }
  | { outcome: "unknown" };

export async function requestCancel(sql: Pool, runId: string, by: string): Promise<CancelOutcome> {
  return sql.begin(async (tx) => {
    const [run] = await tx<{ run_id: string; status: string; requested: boolean }[]>`
      select run_id, status, cancel_requested_at is not null as requested from ops.runs where run_id = ${runId} for update`;
    if (!run) return { outcome: "unknown" } as const;
    if (run.status !== "running") return { outcome: "not_running", run_id: run.run_id, status: run.status } as const;
    if (run.requested) return { outcome: "already_requested", run_id: run.run_id } as const;
    await tx`update ops.runs set cancel_requested_at = now() where run_id = ${runId}`;
    await tx`
      insert into ops.run_events (run_id, level, kind, message, data)
      values (${runId}, 'warn', 'cancel_requested', ${`cancel requested by ${by}; the run stops at its next step boundary`}, ${tx.json({ by })})`;
    return { outcome: "requested", run_id: run.run_id } as const;
  }) as Promise<CancelOutcome>;
}
