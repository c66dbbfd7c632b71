// `--engine windmill`: start a flow on a Windmill instance through windmill-client (the same
// deployed flow.yaml a schedule or the form runs), print the job id and its page in the Windmill
// UI, and with --wait follow it to the end and report like the local engine does.
// Environment: BASE_URL (e.g. http://localhost), WM_TOKEN (a user token; never printed),
// WM_WORKSPACE. API (windmill-client → Windmill REST):
//   POST /api/w/{workspace}/jobs/run/f/{flow path}            body: the flow input → job id
//   GET  /api/w/{workspace}/jobs_u/get/{id}                    status, flow_status, result
//   GET  /api/w/{workspace}/jobs/result_by_id/{id}/{node}      result of one module (the report)
import { ApiError, JobService, setClient } from "windmill-client";
import type { RunReport } from "../../../f/lib/store/run_report.ts";
import { shutdownSignal } from "../../../f/lib/runtime/shutdown.ts";
import { flowPath } from "../../codegen/openflow.ts";
import type { Env } from "../../config/env.ts";
import { ConfigError } from "../../config/errors.ts";
import type { FlowDef } from "../../flow/dsl.ts";
import { describeReport } from "./flow_run.ts";

export interface WindmillTarget {
  baseUrl: string;
  token: string;
  workspace: string;
}

export function windmillTarget(env: Pick<Env, "BASE_URL" | "WM_TOKEN" | "WM_WORKSPACE">): WindmillTarget {
  const missing = (["BASE_URL", "WM_TOKEN", "WM_WORKSPACE"] as const).filter((k) => !env[k]);
  if (missing.length) {
    throw new ConfigError(
      `--engine windmill needs ${missing.join(", ")} (the Windmill URL, a user token from Windmill's user settings → Tokens, and the workspace id); set them in .env or the environment`,
    );
  }
  const baseUrl = env.BASE_URL!.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new ConfigError(`BASE_URL must be the Windmill URL such as http://localhost:8000, got ${JSON.stringify(env.BASE_URL)}`);
  return { baseUrl, token: env.WM_TOKEN!, workspace: env.WM_WORKSPACE! };
}

/** The job's page in the Windmill UI. */
export const jobUrl = (t: WindmillTarget, jobId: string) => `${t.baseUrl}/run/${jobId}?workspace=${encodeURIComponent(t.workspace)}`;

/** A one-line message for an API failure: status and what the server said, never the token. */
export function describeApiError(e: unknown, t: WindmillTarget, what: string): Error {
  if (e instanceof ApiError) {
    const body = typeof e.body === "string" ? e.body : JSON.stringify(e.body ?? "");
    const hint =
      e.status === 401 ? " (WM_TOKEN is not a valid token for this instance)"
      : e.status === 403 ? ` (the token has no access to workspace ${t.workspace} or to the flow)`
      : e.status === 404 ? ` (is the workspace ${t.workspace} right, and was the flow deployed with wmill sync push?)`
      : "";
    return new Error(`Windmill ${what} failed: HTTP ${e.status}${hint}: ${body.replaceAll(t.token, "***").slice(0, 300)}`);
  }
  const err = e as Error & { cause?: { code?: string } };
  return new Error(`Windmill ${what} failed: cannot reach ${t.baseUrl}: ${err.cause?.code ?? err.message}`);
}

export async function startFlow(t: WindmillTarget, flow: FlowDef, input: Record<string, unknown>): Promise<string> {
  setClient(t.token, t.baseUrl);
  // Windmill passes every field explicitly to the steps: send the full input, defaults filled.
  const args = flow.input.parse(input) as Record<string, unknown>;
  try {
    const id = await JobService.runFlowByPath({ workspace: t.workspace, path: flowPath(flow.id), requestBody: args });
    return String(id).trim();
  } catch (e) {
    throw describeApiError(e, t, `start of ${flowPath(flow.id)}`);
  }
}

interface JobState {
  type?: "QueuedJob" | "CompletedJob";
  success?: boolean;
  canceled?: boolean;
  result?: unknown;
  flow_status?: { modules?: { id?: string; type: string; iterator?: { index?: number; itered_len?: number }; flow_jobs?: string[] }[] };
}

const MAX_TRANSIENT_POLL_ERRORS = 5;

export interface WaitOutcome {
  success: boolean;
  canceled: boolean;
  result: unknown;
  report: RunReport | null;
  interrupted: boolean;
}

export async function waitForJob(
  t: WindmillTarget,
  flow: FlowDef,
  jobId: string,
  opts: { pollMs?: number; log?: (s: string) => void; signal?: AbortSignal } = {},
): Promise<WaitOutcome> {
  setClient(t.token, t.baseUrl);
  const seen = new Map<string, string>();
  const signal = opts.signal ?? shutdownSignal;
  let transientErrors = 0;
  for (;;) {
    if (signal.aborted) return { success: false, canceled: false, result: null, report: null, interrupted: true };
    let job: JobState;
    try {
      job = (await JobService.getJob({ workspace: t.workspace, id: jobId, noLogs: true, noCode: true })) as JobState;
      transientErrors = 0;
    } catch (e) {
      // A dropped connection or a 5xx while following a long job is retried a few times: the job
      // goes on in Windmill regardless of this client.
      const transient = !(e instanceof ApiError) || e.status >= 500;
      if (!transient || ++transientErrors > MAX_TRANSIENT_POLL_ERRORS) throw describeApiError(e, t, `status of job ${jobId}`);
      opts.log?.(`  (${describeApiError(e, t, "poll").message}; retrying)`);
      await new Promise((r) => setTimeout(r, Math.min(30_000, (opts.pollMs ?? 2000) * 2 ** transientErrors)));
      continue;
    }
    for (const m of job.flow_status?.modules ?? []) {
      if (!m.id) continue;
      const loop = m.flow_jobs?.length ? ` ${m.flow_jobs.length}${m.iterator?.itered_len ? `/${m.iterator.itered_len}` : ""} iterations` : "";
      const state = `${m.type}${loop}`;
      if (seen.get(m.id) !== state && m.type !== "WaitingForPriorSteps") opts.log?.(`  ${m.id}: ${state}`);
      seen.set(m.id, state);
    }
    if (job.type === "CompletedJob") {
      let report: RunReport | null = null;
      if (flow.modules.some((m) => m.id === "report")) {
        try {
          report = (await JobService.resultById({ workspace: t.workspace, flowJobId: jobId, nodeId: "report" })) as RunReport;
        } catch {
          report = null; // the flow failed before its report step
        }
      }
      return { success: Boolean(job.success), canceled: Boolean(job.canceled), result: job.result ?? null, report, interrupted: false };
    }
    await new Promise<void>((r) => {
      const timer = setTimeout(r, opts.pollMs ?? 2000);
      signal.addEventListener("abort", () => (clearTimeout(timer), r()), { once: true });
    });
  }
}

/** The whole `--engine windmill` command; returns the exit code. */
export async function runOnWindmill(opts: {
  env: Env;
  flow: FlowDef;
  input: Record<string, unknown>;
  wait: boolean;
  json: boolean;
  out: (s: string) => void;
  log: (s: string) => void;
  pollMs?: number;
}): Promise<number> {
  const t = windmillTarget(opts.env);
  const jobId = await startFlow(t, opts.flow, opts.input);
  const url = jobUrl(t, jobId);
  if (!opts.json) {
    opts.out(`started ${opts.flow.id} on Windmill (workspace ${t.workspace}): job ${jobId}`);
    opts.out(url);
  }
  if (!opts.wait) {
    if (opts.json) opts.out(JSON.stringify({ engine: "windmill", job_id: jobId, url, status: "started" }));
    return 0;
  }
  if (!opts.json) opts.log(`following job ${jobId} (Ctrl-C stops following; the job goes on in Windmill)…`);
  const w = await waitForJob(t, opts.flow, jobId, { pollMs: opts.pollMs, log: opts.json ? undefined : opts.log });
  const status = w.interrupted ? "running" : w.canceled ? "canceled" : w.success ? (w.report?.status ?? "success") : "failed";
  const failed = !w.success || (w.report?.failed_total ?? 0) > 0;
  const error = !w.success ? ((w.result as { error?: { name?: string; message?: string; step_id?: string } } | null)?.error ?? null) : null;
  if (opts.json) {
    opts.out(JSON.stringify({ engine: "windmill", job_id: jobId, url, status, exit_code: w.interrupted ? 130 : failed ? 1 : 0, error, report: w.report }));
  } else if (w.interrupted) {
    opts.out(`stopped following; job ${jobId} goes on in Windmill: ${url}`);
  } else {
    if (w.report) opts.out(describeReport(w.report));
    if (error) opts.out(`${opts.flow.id} failed${error.step_id ? ` at ${error.step_id}` : ""}: ${error.name ?? "Error"}: ${error.message ?? ""}`);
    else if (!w.success) opts.out(`${opts.flow.id} ${status}`);
    opts.out(`job ${jobId} ${status}: ${url}`);
  }
  return w.interrupted ? 130 : failed ? 1 : 0;
}
