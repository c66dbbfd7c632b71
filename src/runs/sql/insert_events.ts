// Append events to a run's log, in one statement whatever their number.
import { asJson } from "../../../f/lib/db/json.ts";
import type { Sql } from "../../../f/lib/db/resource.ts";
import type { RunEvent } from "../events.ts";

export async function insertEvents(sql: Sql, events: RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  // Rows as one JSON array: one round trip, ids in the order given.
  await sql`
    insert into ops.run_events (run_id, at, level, kind, step, iteration, message, data)
    select e.v->>'run_id', coalesce((e.v->>'at')::timestamptz, clock_timestamp()), e.v->>'level', e.v->>'kind', e.v->>'step',
      (e.v->>'iteration')::int, e.v->>'message', nullif(e.v->'data', 'null'::jsonb)
    from jsonb_array_elements(${sql.json(asJson(events))}) with ordinality as e(v, n)
    order by e.n
  `;
}
