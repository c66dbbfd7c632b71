// A run's events after the last one seen (pvpipe logs [--follow], the UI's live log over SSE),
// and whether the run is still going.
import type { Sql } from "../../../f/lib/db/resource.ts";
import type { StoredRunEvent } from "../events.ts";

export async function eventsAfter(sql: Sql, runId: string, afterId: number, limit = 1000): Promise<{ events: StoredRunEvent[]; status: string | null }> {
  // Status first: the engine writes a run's last events before it closes the run, so once a
  // closed status is read, the events read after it are all there will be.
  const [run] = await sql<{ status: string }[]>`select status from ops.runs where run_id = ${runId}`;
  const events = await sql<StoredRunEvent[]>`
    select id::int as id, run_id, at, level, kind, step, iteration, message, data
    from ops.run_events where run_id = ${runId} and id > ${afterId}
    order by id limit ${limit}`;
  return { events, status: run?.status ?? null };
}
