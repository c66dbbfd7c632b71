// Run a flow on the local engine with progress output, and turn its outcome into an exit code.
// A cancelled run (Ctrl-C, SIGTERM, pvpipe cancel) is a normal end: one line saying what was
// done and the command that resumes it.
import { continuedLines } from "../../../f/lib/notify/message.ts";
import type { RunReport } from "../../../f/lib/store/run_report.ts";
import { withDb } from "../../../f/lib/db/resource.ts";
import { runReport } from "../../../f/lib/store/run_report.ts";
import type { FlowDef } from "../../flow/dsl.ts";
import { runFlow } from "../../flow/engine.ts";
import type { App } from "../app.ts";
import { log } from "../app.ts";
import { createProgress, type Progress } from "../progress.ts";

export interface FlowOutcome {
  exitCode: 0 | 1;
  runId: string;
  report: RunReport | null;
  /** The last module's result (a flow without a report step, e.g. probe, says what it found there). */
  result?: unknown;
  cancelled: boolean;
  error?: Error;
}

export async function runFlowWithProgress(
  app: App,
  flow: FlowDef,
  input: Record<string, unknown>,
  mode: { json: boolean; debug: boolean; resume?: string },
): Promise<FlowOutcome> {
  const progress = createProgress({ ...mode, tty: Boolean(process.stderr.isTTY) }, log);
  const res = await runFlow(flow, input, app.engine((e) => progress.onEvent(e))).finally(() => progress.stop());
  let report = (res.results.report as RunReport | undefined) ?? null;
  const cancelled = res.status === "cancelled";
  const failed = res.status !== "success" || (report?.failed_total ?? 0) > 0;
  if (cancelled) {
    report = await withDb(app.db.resource, (sql) => runReport(sql, res.runId)).catch(() => report);
    if (!mode.json) log(describeCancelled(flow.id, res.runId, res.stopReason, report, progress, mode.resume));
  } else if (res.error) {
    log(`${flow.id} ${res.status}: ${res.error.name}: ${res.error.message}`);
    if (mode.debug && res.error.stack) log(res.error.stack);
  }
  return { exitCode: failed ? 1 : 0, runId: res.runId, report, result: res.result, cancelled, error: res.error };
}

function describeCancelled(flowId: string, runId: string, reason: string | undefined, report: RunReport | null, plan: Progress, resume?: string): string {
  // Partitions of the planned asset that this run completed (its raw asset may be further along).
  const row = report?.assets.find((a) => a.asset === plan.plannedAsset());
  const done = row ? row.success + row.empty : 0;
  const planned = plan.planned();
  const of = planned !== null ? ` of ${planned}` : "";
  const by = reason === "cancel_requested" ? " by pvpipe cancel" : reason === "not_running" ? " (closed elsewhere)" : "";
  return `cancelled${by}: run ${runId} ${flowId} stopped after ${done}${of} partitions; resume with: ${resume ?? "the same command"}`;
}

export function describeReport(report: RunReport | null): string {
  if (!report) return "no report";
  const parts = report.assets.map((a) => `${a.asset}: ${a.success} ok, ${a.empty} empty, ${a.failed} failed, ${a.rows} rows`);
  const lines = [`run ${report.run_id} ${report.status}`, ...parts.map((p) => `  ${p}`)];
  for (const f of report.failures.slice(0, 5)) lines.push(`  failed ${f.asset} ${f.partition}: ${f.error ?? ""}`);
  if (report.failed_total > 5) lines.push(`  … ${report.failed_total - 5} more failed partitions`);
  for (const l of continuedLines(report)) lines.push(`  ${l}`);
  return lines.join("\n");
}
