// Post a run's report to Slack: a summary after the report step, or an alert from the flow's
// failure module (kind "failure"). The message says whether the period is complete and, when it
// is not, the exact command or form input that resumes the work. Slack failures never fail the
// run: the outcome (sent / skipped / error, never the token) is recorded in ops.notifications and
// on the run (ops.runs.summary.notify), and the step returns normally.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { buildMessage, type Engine, type NotifyKind } from "../lib/notify/message.ts";
import { sendSlack, type Delivery } from "../lib/notify/send.ts";
import { orDefault, postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
import { failRun, resolveRunId } from "../lib/store/runs.ts";
import { runReport } from "../lib/store/run_report.ts";
import { recordNotification } from "../lib/store/notifications.ts";
import { z } from "zod";

type Postgresql = PgResource;
type Slack = { token: string; channel: string; webhook_url: string };

const log = (s: string) => console.error(`notify_slack: ${s}`);

export const args = stepArgs("notify_slack", {
  db: postgresqlResource,
  slack: z.looseObject({ token: z.string().default(""), channel: z.string().default(""), webhook_url: z.string().default(""), api_url: z.string().optional() })
    .describe("Slack bot token + channel, or an incoming webhook (f/pv/slack)"),
  run_id: runIdArg,
  enabled: orDefault(z.boolean(), true).describe("Post at all (the flow's slack input)"),
  kind: orDefault(z.enum(["summary", "failure"]), "summary").describe("summary = the run report after the report step; failure = the flow's failure module"),
  error_name: orDefault(z.string(), "").describe("Failure only: error name (error.name)"),
  error_message: orDefault(z.string(), "").describe("Failure only: error message (error.message)"),
  api_url: orDefault(z.string(), "").describe("Slack Web API base URL; empty = https://slack.com/api/"),
  step_id: orDefault(z.string(), "").describe("Failure only: the step that failed (error.step_id)"),
});

export async function main(
  db: Postgresql,
  slack: Slack,
  run_id: string = "",
  enabled: boolean = true,
  kind: "summary" | "failure" = "summary",
  error_name: string = "",
  error_message: string = "",
  api_url: string = "",
  step_id: string = "",
) {
  ({ run_id, enabled, kind, error_name, error_message, api_url, step_id } = args.parse({
    db, slack, run_id, enabled, kind, error_name, error_message, api_url, step_id,
  }));
  const runId = resolveRunId(run_id);
  const notifyKind: NotifyKind = kind === "failure" ? "failure" : "summary";
  return withDb(db, async (sql) => {
    const error = notifyKind === "failure" ? { name: error_name || "Error", message: error_message || "the flow failed", step: step_id || undefined } : null;
    // On Windmill nothing else closes a run that a step failed: the failure module does.
    if (error) await failRun(sql, runId, `${error.name}: ${error.message}`);
    if (!enabled) {
      log(`disabled for this run (flow input slack = false); run ${runId} not posted`);
      return { run_id: runId, kind: notifyKind, status: "disabled" as const };
    }
    const report = await runReport(sql, runId);
    const flow = report.flow ?? flowFromEnv();
    const message = buildMessage({ kind: notifyKind, report, flow, error, engine: currentEngine() });
    // Local engine and tests may carry the API base on the resource; Windmill passes api_url.
    const apiUrl = api_url || (slack as Slack & { api_url?: string } | null)?.api_url || "";
    const delivery: Delivery = await sendSlack(slack, message, { apiUrl });
    log(describe(delivery, message.alert, runId));
    await recordNotification(sql, { runId, flow, kind: notifyKind, alert: message.alert, delivery });
    return { run_id: runId, kind: notifyKind, alert: message.alert, ...delivery };
  });
}

function describe(d: Delivery, alert: string, runId: string): string {
  const what = `${alert} message for run ${runId}`;
  if (d.status === "sent") return `sent the ${what} via ${d.via === "api" ? `chat.postMessage to ${d.channel}` : "the incoming webhook"}`;
  if (d.status === "skipped") return `skipped the ${what}: ${d.detail}`;
  return `could not send the ${what} (${d.attempts} attempt${d.attempts === 1 ? "" : "s"}): ${d.detail}; the run is not affected`;
}

/** Windmill: a link to the root flow job; otherwise the local engine. */
function currentEngine(): Engine {
  const job = process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID;
  if (!job || !process.env.WM_WORKSPACE) return { kind: "local" };
  const base = [process.env.BASE_URL, process.env.WM_BASE_URL].find((u) => u && /^https?:\/\//.test(u));
  const url = base ? `${base.replace(/\/+$/, "")}/run/${job}?workspace=${encodeURIComponent(process.env.WM_WORKSPACE)}` : null;
  return { kind: "windmill", url };
}

/** `f/pv/daily_nambu` → `daily_nambu` (for a failure before the run was recorded). */
function flowFromEnv(): string {
  const path = process.env.WM_FLOW_PATH ?? "";
  return path.split("/").pop() || "flow";
}
