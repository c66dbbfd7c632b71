// `pvpipe backfill`, `plan` and `run`: a source over a date range, what that would do, and any flow.
import { Command, Option } from "commander";
import { assetOfSource, SOURCE_NAMES } from "../../../f/lib/assets/sources.ts";
import { planSource } from "../../../f/lib/planner/plan_source.ts";
import { backfill } from "../../../flows/backfill.ts";
import { BACKFILL_PARALLELISM } from "../../../flows/inputs.ts";
import { flowById, FLOWS } from "../../../flows/index.ts";
import { UsageError } from "../../config/errors.ts";
import { loadEnv, withApp } from "../app.ts";
import { backfillOptions } from "../backfill_options.ts";
import { parseInputPairs, parseOptions } from "../options.ts";
import { askMissingDates } from "../prompt_dates.ts";
import { rangeBeforeFirstPartition } from "../range_note.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { CliContext } from "./context.ts";
import { describeReport, runFlowWithProgress } from "./flow_run.ts";

type BackfillCliOptions = ReturnType<typeof parseOptions<typeof backfillOptions>>;

function backfillInput(o: BackfillCliOptions) {
  return {
    source: o.source, start: o.start, end: o.end, plant: o.gencd ?? "", unit: o.hogi ?? 0, stations: o.station ?? [],
    policy: o.policy, parallelism: o.parallelism, slack: o.slack, debug: o.debug,
    ...(o.maxRequests !== undefined ? { max_requests: o.maxRequests } : {}),
  };
}

/** The command that loads what failed or was never reached (e.g. after a quota stop) in this range. */
function resumeCommand(o: BackfillCliOptions): string {
  const unit = o.gencd ? ` --gencd ${o.gencd}${o.hogi ? ` --hogi ${o.hogi}` : ""}` : "";
  const stations = (o.station ?? []).map((s) => ` --station ${s}`).join("");
  const budget = o.maxRequests !== undefined ? ` --max-requests ${o.maxRequests}` : "";
  return `pvpipe backfill --source ${o.source} --start ${o.start} --end ${o.end}${unit}${stations} --policy missing+failed${budget}`;
}

/** Commander collector for repeatable options (--station 108 --station 255). */
function collectValues(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A flow without a run report (probe): what its last step found, in a few lines. */
function describeResult(flowId: string, r: { runId: string; exitCode: number; result?: unknown }): string {
  const head = `run ${r.runId} ${flowId} ${r.exitCode === 0 ? "success" : "failed"}`;
  const res = r.result as { units?: { gencd: string; hogi: number; first_date: string | null; error?: string | null }[] } | null | undefined;
  if (!res?.units) return r.result === undefined || r.result === null ? head : `${head}\n  ${JSON.stringify(r.result).slice(0, 500)}`;
  const lines = res.units.map((u) => `  ${u.gencd}-${u.hogi}: ${u.first_date ? `first day with data ${u.first_date}` : u.error ? `not found: ${u.error}` : "no data found"}`);
  return [head, ...lines].join("\n");
}

/** A value that validates as given stays a string ('9984'); otherwise its JSON reading is used. */
function coerceFlowInput(shape: Record<string, { safeParse(v: unknown): { success: boolean } }>, pairs: Record<string, string>) {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(pairs)) {
    const field = shape[k];
    if (!field) throw new UsageError(`unknown input "${k}" (inputs: ${Object.keys(shape).join(", ")})`);
    if (field.safeParse(raw).success) out[k] = raw;
    else {
      try {
        out[k] = JSON.parse(raw);
      } catch {
        out[k] = raw;
      }
    }
  }
  return out;
}

export function registerFlowCommands(program: Command, { out, log, debug }: CliContext): void {
  /** What a plan of a source takes: the source, and the units of it (a KOSPO plant and unit, ASOS stations). */
  const planCommand = (name: string, description: string): Command =>
    program
      .command(name)
      .description(description)
      .requiredOption("--source <source>", SOURCE_NAMES.join(" | "))
      .option("--gencd <code>", "KOSPO plant code, e.g. 997S")
      .option("--hogi <n>", "unit number")
      .option("--station <id>", "ASOS station id, repeatable (default: the stations matched to plants)", collectValues, [] as string[]);

  planCommand("backfill", "Load a source over a date range (only what the policy selects)")
    .option("--start <date>", "first day, YYYY-MM-DD (KST); asked for on a terminal")
    .option("--end <date>", "last day, YYYY-MM-DD (KST); asked for on a terminal")
    .option("--policy <policy>", "missing | failed | stale | all, or combined: missing+failed", "missing")
    .option("--parallelism <n>", "chunks at the same time (they share the run's API budget)", String(BACKFILL_PARALLELISM))
    .option("--max-requests <n>", "stop cleanly after N requests (kospo, asos: the data.go.kr daily quota); the next scheduled run continues")
    .option("--slack", "post the run report to Slack")
    .option("--json", "print one JSON summary")
    .addOption(dbUrlOption())
    .addOption(new Option("--engine <engine>", "local = run here; windmill = start the deployed backfill flow on Windmill (BASE_URL, WM_TOKEN, WM_WORKSPACE)").choices(["local", "windmill"]).default("local"))
    .option("--wait", "with --engine windmill: follow the job to its end and report (exit code as with the local engine)")
    .action(async (raw) => {
      // Everything but the dates first: a bad --source is not worth a question.
      // (A missing date stands in for the other, so the check says nothing about dates not given.)
      const stand = raw.start ?? raw.end ?? "2020-01-01";
      parseOptions(backfillOptions, { ...raw, start: raw.start ?? stand, end: raw.end ?? stand, slack: Boolean(raw.slack), json: Boolean(raw.json), debug: debug() });
      const dates = await askMissingDates({ start: raw.start, end: raw.end });
      const o = parseOptions(backfillOptions, { ...raw, ...dates, slack: Boolean(raw.slack), json: Boolean(raw.json), debug: debug() });
      if (raw.engine === "windmill") {
        const { runOnWindmill } = await import("./windmill_run.ts");
        process.exitCode = await runOnWindmill({ env: loadEnv(), flow: backfill, input: backfillInput(o), wait: Boolean(raw.wait), json: o.json, out, log });
        return;
      }
      if (raw.wait) throw new UsageError("--wait applies to --engine windmill only (the local engine always runs to the end)");
      await withApp({ dbUrl: o.dbUrl, sources: true }, async (app) => {
        const note = await rangeBeforeFirstPartition(app.sql, { source: o.source, start: o.start, end: o.end, plant: o.gencd, unit: o.hogi, stations: o.station });
        if (note && !o.json) log(note);
        const r = await runFlowWithProgress(app, backfill, backfillInput(o), { json: o.json, debug: debug(), resume: resumeCommand(o) });
        if (o.json) out(JSON.stringify({ run_id: r.runId, exit_code: r.exitCode, error: r.error?.message ?? null, report: r.report, ...(note ? { note } : {}) }));
        else if (!r.cancelled) {
          out(describeReport(r.report));
          if (r.exitCode !== 0) out(`resume with: ${resumeCommand(o)}`);
        }
        process.exitCode = r.exitCode;
      });
    });

  planCommand("plan", "Show what a backfill would do, without writing anything")
    .requiredOption("--start <date>", "first day")
    .requiredOption("--end <date>", "last day")
    .option("--policy <policy>", "missing | failed | stale | all", "missing")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (raw) => {
      const o = parseOptions(backfillOptions, { ...raw, json: Boolean(raw.json), debug: debug() });
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const filter = { plant: o.gencd, unit: o.hogi, stations: o.station };
        const { asset, partitions, chunks } = await planSource(app.sql, assetOfSource(o.source), { start: o.start, end: o.end, filter, policy: o.policy });
        if (o.json) out(JSON.stringify({ asset, partitions, chunks }));
        else {
          out(`${asset} ${o.start}..${o.end} policy ${o.policy}: ${partitions} partitions in ${chunks.length} chunks`);
          for (const c of chunks) out(`  ${c.pdim ?? ""} ${c.start}..${c.end} (${c.partitions})`);
        }
      });
    });

  program
    .command("run <flow>")
    .description(`Run a flow: ${FLOWS.map((f) => f.id).join(", ")}`)
    .option("--input <key=value...>", "flow input", [])
    .option("--json", "print one JSON summary")
    .addOption(dbUrlOption())
    .action(async (flowId: string, o) => {
      const flow = flowById(flowId);
      if (!flow) throw new UsageError(`unknown flow "${flowId}" (flows: ${FLOWS.map((f) => f.id).join(", ")})`);
      const input = coerceFlowInput(flow.input.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>, parseInputPairs(o.input));
      await withApp({ dbUrl: o.dbUrl, sources: true }, async (app) => {
        const r = await runFlowWithProgress(app, flow, input, { json: Boolean(o.json), debug: debug(), resume: `pvpipe run ${flowId}${o.input.map((i: string) => ` --input ${i}`).join("")}` });
        if (o.json) out(JSON.stringify({ run_id: r.runId, exit_code: r.exitCode, error: r.error?.message ?? null, report: r.report, result: r.result ?? null }));
        else if (!r.cancelled) out(r.report ? describeReport(r.report) : describeResult(flowId, r));
        process.exitCode = r.exitCode;
      });
    });
}
