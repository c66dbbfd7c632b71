// Failure handler of the flows (Windmill failure_module): tells Slack which flow failed, at which
// step and why, with a link to the run when Windmill ran it. Skipped unless the flow's `slack` input is set.
import { postSlack } from "../lib/notify/slack.ts";

type Slack = { token: string; channel: string; webhook_url: string };

export async function main(slack: Slack, flow: string, message: string, name: string = "Error", step_id: string = "", run_id: string = "") {
  const runId = run_id || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || "";
  const base = process.env.WM_BASE_URL;
  const workspace = process.env.WM_WORKSPACE;
  const link = base && workspace && runId ? `${base.replace(/\/$/, "")}/run/${runId}?workspace=${encodeURIComponent(workspace)}` : "";
  const text = [
    `:x: pvpipe flow *${flow}* failed${step_id ? ` at step \`${step_id}\`` : ""}`,
    `${name}: ${message}`,
    runId ? `run ${runId}${link ? ` ${link}` : ""}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const { via } = await postSlack(slack, text);
  return { posted: true, via, flow, run_id: runId };
}
