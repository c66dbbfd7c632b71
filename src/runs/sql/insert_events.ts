// Append events to a run's log, in one statement whatever their number.
import type { Sql } from "../../../f/lib/db/resource.ts";
import type { RunEvent } from "../events.ts";

export async function insertEvents(sql: Sql, events: RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  // Rows as one JSON array: one round trip, ids in the order given.
  await sql`
    insert into ops.run_events (run_id, level, kind, step, iteration, message, data)
    select e.run_id, e.level, e.kind, e.step, e.iteration, e.message, e.data
    from jsonb_to_recordset(${sql.json(events.map((e) => ({ ...e, step: e.step ?? null, iteration: e.iteration ?? null, data: e.data ?? null })) as never)})
      with ordinality as e(run_id text, level text, kind text, step text, iteration integer, message text, data jsonb, n bigint)
    order by e.n
  `;
}
