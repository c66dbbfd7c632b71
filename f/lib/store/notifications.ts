// Slack delivery outcomes: one ops.notifications row per attempt to notify, and the latest one on
// the run itself (ops.runs.summary.notify). Never a token or a webhook URL: only what Delivery holds.
import { now } from "../time/clock.ts";
import type { Sql } from "../db/resource.ts";
import type { Delivery } from "../notify/send.ts";

export async function recordNotification(
  sql: Sql,
  n: { runId: string; flow: string | null; kind: "summary" | "failure"; alert: string; delivery: Delivery },
): Promise<void> {
  const d = n.delivery;
  await sql`
    insert into ops.notifications (run_id, flow, kind, alert, status, via, channel, attempts, detail)
    values (${n.runId}, ${n.flow}, ${n.kind}, ${n.alert}, ${d.status}, ${d.via}, ${d.channel}, ${d.attempts}, ${d.detail})`;
  const notify = { kind: n.kind, alert: n.alert, status: d.status, via: d.via, channel: d.channel, attempts: d.attempts, detail: d.detail, at: now().toISOString() };
  await sql`
    update ops.runs set summary = coalesce(summary, '{}'::jsonb) || jsonb_build_object('notify', ${sql.json(notify)}::jsonb)
    where run_id = ${n.runId}`;
}
