// The Slack message of a run, from its report: pure (report in, {text, blocks} out), so every case
// is unit-tested without Slack. The old pipeline said "완료" even when nothing was collected; this
// one says, at a glance, whether the period is complete and, if not, exactly how to resume.
import type { ContinuedBackfill, RunReport } from "../store/run_report.ts";

export type NotifyKind = "summary" | "failure";

/** What the message reports. Everything but success and nothing_to_do is an alert. */
export type Alert = "success" | "partial" | "nothing_to_do" | "nothing_collected" | "failed" | "quota";

export type Engine = { kind: "local" } | { kind: "windmill"; url: string | null };

export interface MessageInput {
  kind: NotifyKind;
  report: RunReport;
  /** Used when the run has no ops.runs row (a failure before the plan step on Windmill). */
  flow?: string;
  /** The error that stopped the flow (failure module). */
  error?: { name: string; message: string; step?: string } | null;
  engine: Engine;
}

/** Slack Block Kit, the subset used here. */
export type Block =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: true } }
  | { type: "section"; text: { type: "mrkdwn"; text: string }; fields?: undefined }
  | { type: "section"; fields: { type: "mrkdwn"; text: string }[]; text?: undefined }
  | { type: "context"; elements: { type: "mrkdwn"; text: string }[] }
  | { type: "divider" };

export interface SlackMessage {
  /** Plain-text fallback (notifications, screen readers, webhook clients without blocks). */
  text: string;
  blocks: Block[];
}

export interface BuiltMessage extends SlackMessage {
  alert: Alert;
  /** The command that resumes the work, when there is work left. */
  resume: string | null;
}

const TOP = 5;

/** A stop by the key's quota, or by the run's own request budget (--max-requests): the same end state. */
export function isQuotaStop(error: { name?: string; message?: string } | null | undefined): boolean {
  return error?.name === "QuotaExceeded" || error?.name === "RequestBudgetSpent";
}

/** One line per backfill a scheduled run continued after its own day (issue #18). */
export function continuedLines(report: Pick<RunReport, "continued">): string[] {
  return (report.continued ?? []).map((c: ContinuedBackfill) => {
    const scope = [c.plant, c.plant && c.unit ? `unit ${c.unit}` : null].filter(Boolean).join(" ");
    const period = `${c.start ?? "?"} – ${c.end ?? "?"}${scope ? ` (${scope})` : ""}`;
    const spent = `${c.requests}${c.max_requests !== null ? ` of ${c.max_requests}` : ""} requests, ${c.partitions} partitions planned`;
    const outcome = c.finished
      ? "finished"
      : c.stopped === "budget"
        ? "stopped at its budget of the day; continues on the next day's scheduled run"
        : c.stopped === "quota"
          ? "stopped by the data.go.kr quota; continues on the next day's scheduled run"
          : "the rest continues on the next day's scheduled run";
    return `continued backfill ${c.run_id} ${period}: ${spent}; ${outcome}`;
  });
}

/** Partitions the plan expected; without a recorded plan, those the run touched. */
export function plannedPartitions(report: RunReport): number {
  if (report.plan) return report.plan.partitions;
  return Math.max(0, ...report.assets.map((a) => a.success + a.empty + a.failed));
}

export function classify(input: Pick<MessageInput, "kind" | "report" | "error">): Alert {
  const { kind, report, error } = input;
  if (kind === "failure") return isQuotaStop(error) ? "quota" : "failed";
  if (report.status === "failed" || report.status === "cancelled") return isQuotaStop(errorOf(report)) ? "quota" : "failed";
  if (plannedPartitions(report) === 0) return "nothing_to_do";
  // Data was expected and not one partition was materialized: an alert, never a success.
  if (report.assets.every((a) => a.success === 0)) return "nothing_collected";
  if (report.failed_total > 0 || report.assets.some((a) => a.blocked > 0)) return "partial";
  return "success";
}

/** The `name: message` run error as {name, message}. */
function errorOf(report: RunReport): { name: string; message: string; step?: string } | null {
  if (!report.error) return null;
  const i = report.error.indexOf(": ");
  return i > 0 ? { name: report.error.slice(0, i), message: report.error.slice(i + 2) } : { name: "Error", message: report.error };
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** Source, period, plant/unit/stations of the run: the plan first, then the flow inputs. */
export function runScope(report: RunReport) {
  const inp = report.inputs ?? {};
  return {
    source: report.plan?.source ?? (str(inp.source) || null),
    start: report.plan?.start ?? (str(inp.start) || null),
    end: report.plan?.end ?? (str(inp.end) || null),
    plant: str(inp.plant),
    unit: Number(inp.unit) || 0,
    stations: Array.isArray(inp.stations) ? (inp.stations as unknown[]).map(Number) : [],
    maxRequests: Number(inp.max_requests) || 0,
  };
}

export function periodText(report: RunReport): string {
  const { start, end } = runScope(report);
  if (!start || !end) return "no period";
  return start === end ? start : `${start} – ${end}`;
}

/** Policy that reloads what this outcome left undone. */
function resumePolicy(alert: Alert): string | null {
  switch (alert) {
    case "partial":
      return "failed";
    case "failed":
    case "quota":
      return "missing+failed"; // failed partitions and the ones the stop never reached
    case "nothing_collected":
      return "all"; // 'empty' counts as loaded: ask the source again
    default:
      return null;
  }
}

/** The exact command that resumes the work on the local engine (`pvpipe …`). */
export function resumeCommand(report: RunReport, alert: Alert, flow: string): string | null {
  const policy = resumePolicy(alert);
  if (!policy) return null;
  const s = runScope(report);
  if (s.source && s.start && s.end) {
    if (s.source === "kospo") {
      const unit = s.plant ? ` --gencd ${s.plant}${s.unit ? ` --hogi ${s.unit}` : ""}` : "";
      return `pvpipe backfill --source kospo --start ${s.start} --end ${s.end}${unit} --policy ${policy}${s.maxRequests ? ` --max-requests ${s.maxRequests}` : ""}`;
    }
    const extra = [
      ...(s.plant ? [`plant=${s.plant}`] : []),
      ...(s.unit ? [`unit=${s.unit}`] : []),
      ...(s.stations.length ? [`stations=${JSON.stringify(s.stations)}`] : []),
      ...(s.maxRequests ? [`max_requests=${s.maxRequests}`] : []),
    ];
    return ["pvpipe run backfill", `source=${s.source}`, `start=${s.start}`, `end=${s.end}`, ...extra, `policy=${policy}`].join(" --input ");
  }
  // No period known (the flow failed before planning): run the same flow again with its inputs.
  const pairs = Object.entries(report.inputs ?? {}).map(([k, v]) => ` --input ${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return `pvpipe run ${flow}${pairs.join("")}`;
}

/** The Windmill backfill form input that does the same as resumeCommand (null without a period). */
export function resumeForm(report: RunReport, alert: Alert): Record<string, unknown> | null {
  const policy = resumePolicy(alert);
  const s = runScope(report);
  if (!policy || !s.source || !s.start || !s.end) return null;
  return {
    source: s.source,
    start: s.start,
    end: s.end,
    ...(s.plant ? { plant: s.plant } : {}),
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.stations.length ? { stations: s.stations } : {}),
    ...(s.maxRequests ? { max_requests: s.maxRequests } : {}),
    policy,
  };
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "unknown";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** `2024-06-05|8760-1` → `8760-1 2024-06-05` (plant/unit or station, then day). */
export function partitionText(partition: string): string {
  const i = partition.indexOf("|");
  if (i < 0) return partition;
  return `${partition.slice(i + 1)} ${partition.slice(0, i)}`;
}

/** Plant/unit (or station) and day a check result is about: its own day/unit, else the partition's. */
export function checkSubject(c: { partition: string; day?: string | null; unit?: string | null }): string {
  const i = c.partition.indexOf("|");
  const pday = i < 0 ? c.partition : c.partition.slice(0, i);
  const pdim = i < 0 ? "" : c.partition.slice(i + 1);
  return [c.unit || pdim, c.day || pday].filter(Boolean).join(" ");
}

/** Escape for Slack mrkdwn (&, <, > are control characters). */
export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Rows written to serving tables (raw payload assets are not rows of data). */
export function rowsWritten(report: RunReport): number {
  return report.assets.filter((a) => !a.asset.endsWith("/raw")).reduce((n, a) => n + a.rows, 0);
}

export function buildMessage(input: MessageInput): BuiltMessage {
  const { report, engine } = input;
  const flow = report.flow ?? input.flow ?? "flow";
  const error = input.error ?? (input.kind === "failure" ? errorOf(report) : null);
  const alert = classify({ kind: input.kind, report, error });
  const period = periodText(report);
  const planned = plannedPartitions(report);
  const empty = report.assets.reduce((n, a) => Math.max(n, a.empty), 0);
  const failed = report.failed_partitions;
  // Partitions held back only by a blocking check need their data looked at, not a reload.
  const reload = !(alert === "partial" && failed === 0);
  const resume = reload ? resumeCommand(report, alert, flow) : null;
  const form = reload ? resumeForm(report, alert) : null;

  const header = clip(
    {
      success: `:white_check_mark: ${flow}: ${period} complete`,
      partial: failed
        ? `:warning: ${flow}: ${failed} partition${failed === 1 ? "" : "s"} failed (${period})`
        : `:warning: ${flow}: blocked by checks (${period})`,
      nothing_to_do: `:white_check_mark: ${flow}: nothing to load for ${period}`,
      nothing_collected: `:rotating_light: ${flow}: nothing collected for ${period}`,
      failed: `:x: ${flow} failed${error?.step ? ` at ${error.step}` : ""}: ${error?.name ?? "Error"}`,
      quota:
        error?.name === "RequestBudgetSpent"
          ? `:no_entry: ${flow} stopped: its request budget (--max-requests) is spent`
          : `:no_entry: ${flow} stopped: data.go.kr daily quota exhausted`,
    }[alert],
    150,
  );
  const summary = {
    success: `Every planned partition (${planned}) was loaded.`,
    partial: `${failed} of ${planned} partition${planned === 1 ? "" : "s"} failed${report.assets.some((a) => a.blocked) ? " or were blocked by a check" : ""}; the others were loaded. The data of ${period} is *incomplete*.`,
    nothing_to_do: `Every partition of ${period} was already loaded; the source was not asked.`,
    nothing_collected:
      `${planned} partition${planned === 1 ? " was" : "s were"} expected and *none was materialized* ` +
      `(${empty} empty, ${failed} failed): the source returned no data. Check that it publishes this period and that the key works, then reload.`,
    failed: "The run stopped at an error. What was loaded before it is kept; the data of this period is *incomplete*.",
    quota:
      error?.name === "RequestBudgetSpent"
        ? "The run spent the requests it was given. Everything fetched before the stop is kept; the source's next scheduled run continues the rest within the same budget, or resume it yourself."
        : "The data.go.kr request quota of the key is used up for today. Everything fetched before the stop is kept; the rest is loaded when you resume, or by the source's next scheduled run.",
  }[alert];

  const engineText = engine.kind === "local" ? "local engine" : engine.url ? `<${engine.url}|Windmill job>` : "Windmill";
  const engineTextPlain = engine.kind === "local" ? "local engine" : (engine.url ?? "Windmill");
  const fields: [string, string][] = [
    ["Period", period],
    ["Rows written", rowsWritten(report).toLocaleString("en-US")],
    ["Duration", formatDuration(report.duration_s)],
    ["Engine", engineText],
  ];
  if (report.plan?.policy) fields.push(["Policy", report.plan.policy]);

  const assetLines = report.assets.map(
    (a) => `\`${a.asset}\`: ${a.success} materialized · ${a.empty} empty · ${a.failed} failed · ${a.blocked} skipped (blocking check) · ${a.rows.toLocaleString("en-US")} rows`,
  );
  // One line per partition (a day that failed at raw usually fails downstream too), first error.
  const byPartition = new Map<string, { assets: string[]; error: string | null }>();
  for (const f of report.failures) {
    const e = byPartition.get(f.partition);
    if (e) e.assets.push(f.asset);
    else byPartition.set(f.partition, { assets: [f.asset], error: f.error });
  }
  const failureLines = [...byPartition]
    .slice(0, TOP)
    .map(([p, f]) => `${partitionText(p)} (${f.assets.map((a) => `\`${a}\``).join(", ")}): ${clip(f.error ?? "no error recorded", 200)}`);
  const moreFailures = Math.max(0, failed - failureLines.length);
  const checkLines = report.checks.top.map(
    (c) => `${checkSubject(c)} \`${c.check_name}\` (${c.severity}${c.blocking ? ", blocking" : ""}, ${c.asset}): ${clip(c.message, 200)}`,
  );
  const moreChecks = report.checks.failed > report.checks.top.length ? report.checks.failed - report.checks.top.length : 0;

  const resumeIntro =
    alert === "quota"
      ? "Resume after midnight KST, when the quota resets:"
      : alert === "nothing_collected"
        ? "Reload the period once the source has data:"
        : "Resume with:";
  const scheduled = "lookback_days" in (report.inputs ?? {});

  const blocks: Block[] = [];
  const section = (text: string) => blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(text, 3000) } });
  blocks.push({ type: "header", text: { type: "plain_text", text: header, emoji: true } });
  section(esc(summary));
  blocks.push({ type: "section", fields: fields.map(([k, v]) => ({ type: "mrkdwn", text: `*${k}*\n${k === "Engine" ? v : esc(v)}` })) });
  if (assetLines.length) section(`*Partitions by outcome*\n${assetLines.map((l) => `• ${esc(l)}`).join("\n")}`);
  if (failureLines.length) {
    section(`*Failed partitions* (${failed})\n${failureLines.map((l) => `• ${esc(l)}`).join("\n")}${moreFailures ? `\n… and ${moreFailures} more` : ""}`);
  }
  const continued = continuedLines(report);
  if (continued.length) section(`*Backfills continued after the run's own days* (${continued.length})\n${continued.map((l) => `• ${esc(l)}`).join("\n")}`);
  if (checkLines.length) {
    section(`*Failing checks* (${report.checks.failed})\n${checkLines.map((l) => `• ${esc(l)}`).join("\n")}${moreChecks ? `\n… and ${moreChecks} more` : ""}`);
  }
  if (error && (alert === "failed" || alert === "quota")) section(`*${esc(error.name)}*: ${esc(clip(error.message, 1500))}`);
  if (resume) {
    const lines = [`*${resumeIntro}*`, `\`\`\`${esc(resume)}\`\`\``];
    if (form && engine.kind === "windmill") lines.push(`or on Windmill, run the \`f/pv/backfill\` flow with \`${esc(JSON.stringify(form))}\``);
    if (scheduled && alert !== "nothing_collected") lines.push("The next scheduled run also retries missing and failed days of its look-back window.");
    section(lines.join("\n"));
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `run \`${esc(report.run_id)}\`${report.started_kst ? ` · started ${report.started_kst} KST` : ""} · ${engineText}` }],
  });

  const text = [
    header,
    summary.replace(/\*/g, ""),
    ...fields.map(([k, v]) => `${k}: ${k === "Engine" ? engineTextPlain : v}`),
    ...assetLines.map((l) => `- ${l}`),
    ...(failureLines.length ? [`Failed partitions (${failed}):`, ...failureLines.map((l) => `- ${l}`), ...(moreFailures ? [`… and ${moreFailures} more`] : [])] : []),
    ...(continued.length ? ["Backfills continued after the run's own days:", ...continued.map((l) => `- ${l}`)] : []),
    ...(checkLines.length ? [`Failing checks (${report.checks.failed}):`, ...checkLines.map((l) => `- ${l}`), ...(moreChecks ? [`… and ${moreChecks} more`] : [])] : []),
    ...(error && (alert === "failed" || alert === "quota") ? [`${error.name}: ${clip(error.message, 1500)}`] : []),
    ...(resume ? [`${resumeIntro} ${resume}`] : []),
    ...(form && resume && engine.kind === "windmill" ? [`Windmill: run f/pv/backfill with ${JSON.stringify(form)}`] : []),
    `run ${report.run_id}`,
  ].join("\n");

  return { text, blocks, alert, resume };
}
