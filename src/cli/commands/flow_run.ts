// Run a flow on the local engine with progress output, and turn its outcome into an exit code.
import { continuedLines } from "../../../f/lib/notify/message.ts";
import type { RunReport } from "../../../f/lib/store/run_report.ts";
import type { FlowDef } from "../../flow/dsl.ts";
import { runFlow } from "../../flow/engine.ts";
import type { App } from "../app.ts";
import { log } from "../app.ts";
import { createProgress } from "../progress.ts";

export interface FlowOutcome {
  exitCode: 0 | 1;
  runId: string;
  report: RunReport | null;
  error?: Error;
}

export async function runFlowWithProgress(app: App, flow: FlowDef, input: Record<string, unknown>, mode: { json: boolean; debug: boolean }): Promise<FlowOutcome> {
  const progress = createProgress({ ...mode, tty: Boolean(process.stderr.isTTY) }, log);
  const res = await runFlow(flow, input, app.engine((e) => progress.onEvent(e))).finally(() => progress.stop());
  const report = (res.results.report as RunReport | undefined) ?? null;
  const failed = res.status !== "success" || (report?.failed_total ?? 0) > 0;
  if (res.error) {
    log(`${flow.id} ${res.status}: ${res.error.name}: ${res.error.message}`);
    if (mode.debug && res.error.stack) log(res.error.stack);
  }
  return { exitCode: failed ? 1 : 0, runId: res.runId, report, error: res.error };
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
