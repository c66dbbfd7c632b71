// pvpipe: the command line of the local engine.
import { dbUrlOption } from "./shared_options.ts";
import { Command, Option } from "commander";
import { describeGraph } from "../../f/lib/assets/graph.ts";
import { graph, ASSETS } from "../../f/lib/assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import { keyDimensions } from "../../f/lib/assets/partitions.ts";
import { planSource } from "../../f/lib/planner/plan_source.ts";
import { assetOfSource, SOURCE_NAMES } from "../../f/lib/assets/sources.ts";
import { addDays, isoDate, yesterdayKst } from "../../f/lib/time/kst.ts";
import { flowById, FLOWS } from "../../flows/index.ts";
import { backfill } from "../../flows/backfill.ts";
import { UsageError } from "../config/errors.ts";
import { abandonActiveRuns } from "../flow/engine.ts";
import { migrate } from "../../f/lib/db/migrate.ts";
import { loadEnv, log, withApp } from "./app.ts";
import { describeReport, runFlowWithProgress } from "./commands/flow_run.ts";
import { startCommand } from "./commands/start.ts";
import { runOnWindmill } from "./commands/windmill_run.ts";
import { registerQualityCommands } from "./commands/checks.ts";
import { registerExportCommands } from "./commands/export.ts";
import { importLegacyCommand } from "./commands/import_legacy.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerRunCommands } from "./commands/runs.ts";
import { registerUiCommand } from "../ui/cli.ts";
import { runSql, type SqlFormat } from "./commands/sql.ts";
import { backfillOptions, parseInputPairs, parseOptions } from "./options.ts";
import { askMissingDates } from "./prompt_dates.ts";
import { rangeBeforeFirstPartition } from "./range_note.ts";
import { clearActiveBar } from "./terminal.ts";
import { beforeHardStop, exitCodeFor, installSignalHandlers, interruptedBy } from "./signals.ts";
import { collectStatus, renderStatus } from "./status_view.ts";

let debug = process.argv.includes("--debug");
const out = (s: string) => process.stdout.write(`${s}\n`);

function backfillInput(o: ReturnType<typeof parseOptions<typeof backfillOptions>>) {
  return {
    source: o.source, start: o.start, end: o.end, plant: o.gencd ?? "", unit: o.hogi ?? 0, stations: o.station ?? [],
    policy: o.policy, parallelism: o.parallelism, slack: o.slack, debug: o.debug,
    ...(o.maxRequests !== undefined ? { max_requests: o.maxRequests } : {}),
  };
}

/** The command that loads what failed or was never reached (e.g. after a quota stop) in this range. */
function resumeCommand(o: ReturnType<typeof parseOptions<typeof backfillOptions>>): string {
  const unit = o.gencd ? ` --gencd ${o.gencd}${o.hogi ? ` --hogi ${o.hogi}` : ""}` : "";
  const stations = (o.station ?? []).map((s) => ` --station ${s}`).join("");
  const budget = o.maxRequests !== undefined ? ` --max-requests ${o.maxRequests}` : "";
  return `pvpipe backfill --source ${o.source} --start ${o.start} --end ${o.end}${unit}${stations} --policy missing+failed${budget}`;
}

const program = new Command("pvpipe")
  .description("Asset-graph pipeline for Korean PV generation and weather (local engine)")
  .option("--debug", "show stack traces and step results")
  .showHelpAfterError("(pvpipe <command> --help for usage)")
  .exitOverride();

program
  .command("start")
  .description("Embedded or configured DB, migrations, 14-day catch-up, status; then run the schedules until Ctrl-C")
  .option("--once", "exit after the catch-up")
  .option("--days <n>", "catch-up window in days", "14")
  .option("--ui-port <port>", "the web UI's port on 127.0.0.1 (default: PVPIPE_UI_PORT, else 3300)")
  .option("--no-ui", "do not serve the web UI")
  .addOption(dbUrlOption())
  .action(async (o) => {
    process.exitCode = await startCommand({ once: Boolean(o.once), days: Number(o.days), dbUrl: o.dbUrl, debug, ui: o.ui !== false, uiPort: o.uiPort });
  });

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
  .option("--parallelism <n>", "chunks at the same time", "4")
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
    parseOptions(backfillOptions, { ...raw, start: raw.start ?? stand, end: raw.end ?? stand, slack: Boolean(raw.slack), json: Boolean(raw.json), debug });
    const dates = await askMissingDates({ start: raw.start, end: raw.end });
    const o = parseOptions(backfillOptions, { ...raw, ...dates, slack: Boolean(raw.slack), json: Boolean(raw.json), debug });
    if (raw.engine === "windmill") {
      process.exitCode = await runOnWindmill({ env: loadEnv(), flow: backfill, input: backfillInput(o), wait: Boolean(raw.wait), json: o.json, out, log });
      return;
    }
    if (raw.wait) throw new UsageError("--wait applies to --engine windmill only (the local engine always runs to the end)");
    await withApp({ dbUrl: o.dbUrl, sources: true }, async (app) => {
      const note = await rangeBeforeFirstPartition(app.sql, { source: o.source, start: o.start, end: o.end, plant: o.gencd, unit: o.hogi, stations: o.station });
      if (note && !o.json) log(note);
      const r = await runFlowWithProgress(app, backfill, backfillInput(o), { json: o.json, debug, resume: resumeCommand(o) });
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
    const o = parseOptions(backfillOptions, { ...raw, json: Boolean(raw.json), debug });
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
      const r = await runFlowWithProgress(app, flow, input, { json: Boolean(o.json), debug, resume: `pvpipe run ${flowId}${o.input.map((i: string) => ` --input ${i}`).join("")}` });
      if (o.json) out(JSON.stringify({ run_id: r.runId, exit_code: r.exitCode, error: r.error?.message ?? null, report: r.report, result: r.result ?? null }));
      else if (!r.cancelled) out(r.report ? describeReport(r.report) : describeResult(flowId, r));
      process.exitCode = r.exitCode;
    });
  });

program
  .command("status")
  .description("Partitions per asset by status, with a health bar")
  .option("--asset <key>", "one asset")
  .option("--start <date>", "window start (default: 14 days before --end)")
  .option("--end <date>", "window end (default: yesterday KST)")
  .option("--json", "JSON output")
  .addOption(dbUrlOption())
  .action(async (o) => {
    const end = o.end ? parseOptions(isoDate, o.end) : yesterdayKst();
    const start = o.start ? parseOptions(isoDate, o.start) : addDays(end, -13);
    if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
    await withApp({ dbUrl: o.dbUrl }, async (app) => {
      const rows = await collectStatus(app.sql, { asset: o.asset, start, end });
      if (o.json) out(JSON.stringify({ start, end, assets: rows }));
      else out(renderStatus(rows, { start, end }, Boolean(process.stdout.isTTY)));
    });
  });

program
  .command("assets")
  .description("Print the asset graph")
  .action(() => {
    out(describeGraph(graph));
    for (const a of ASSETS) for (const d of keyDimensions(a.partitions)) if (d.kind === "dynamic" && !DIMENSION_RESOLVERS[d.name]) throw new Error(`no resolver for ${d.name}`);
  });

program
  .command("migrate")
  .description("Apply pending migrations")
  .addOption(dbUrlOption())
  .action(async (o) => {
    await withApp({ dbUrl: o.dbUrl, migrate: false }, async (app) => {
      const applied = await migrate(app.sql);
      out(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
    });
  });

program
  .command("sql <query>")
  .description("Run a query (session in Asia/Seoul) and print the rows as psql does; --csv / --json for machines")
  .option("--csv", "CSV with a header line")
  .option("--json", "a JSON array of rows (numbers as numbers)")
  .addOption(dbUrlOption())
  .action(async (query: string, o) => {
    if (o.csv && o.json) throw new UsageError("give --csv or --json, not both");
    await withApp({ dbUrl: o.dbUrl, migrate: false }, async (app) => {
      const format: SqlFormat = o.csv ? "csv" : o.json ? "json" : "aligned";
      out(await runSql(app.db.resource, query, format));
    });
  });

program
  .command("import-legacy")
  .description("Import the earlier Python pipeline's database or CSV archive, corrected (materializations recorded as source legacy)")
  .option("--from-db <url>", "the earlier pipeline's PostgreSQL (nambu_generation, namdong_generation, *_plants, weather_asos)")
  .option("--from-dir <path>", "the earlier pipeline's CSV archive (pv_data_raw/, pv_data_processed/, south_pv_*.csv, asos_*.csv)")
  .option("--dry-run", "print what would be imported, per table and unit; write nothing")
  .option("--prefer <side>", "on conflicts with rows already loaded: new (they win) | legacy", "new")
  .option("--json", "print one JSON summary")
  .addOption(dbUrlOption())
  .action(async (o) => {
    process.exitCode = await importLegacyCommand(o, debug);
  });

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

installSignalHandlers(log);
beforeHardStop(() => clearActiveBar());
beforeHardStop(() => abandonActiveRuns("stopped at once by a second signal"));
// Anything unexpected is one line (the stack with --debug), and a stop keeps its exit code.
// (The postgres.js write on a closed connection that once ended a Ctrl-C'd backfill with a stack
// trace is fixed in patches/; its cause, the server getting the terminal's SIGINT, in server_process.ts.)
process.on("uncaughtException", (e) => {
  log(`pvpipe: unexpected error: ${e.message}`);
  if (debug && e.stack) log(e.stack);
  process.exit(interruptedBy() ? exitCodeFor(interruptedBy()!) : 1);
});

registerQualityCommands(program);
registerRunCommands(program, out, dbUrlOption);
registerDbCommands(program, out, dbUrlOption);
registerUiCommand(program, out, dbUrlOption);
registerExportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error & { exitCode?: number; code?: string };
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") process.exitCode = 0;
  else if (err.code?.startsWith("commander.")) process.exitCode = 2;
  else if (interruptedBy() && !debug) {
    // Stopped by Ctrl-C/SIGTERM: what failed because of the stop is not news; the exit code says it.
  } else {
    const usage = err instanceof UsageError || err.name === "InvalidPlanRequest" || err.name === "UnknownPlantUnit" || err.name === "UnknownStation" || err.name === "DateNotPublished" || err.name === "ClockSettingInvalid";
    log(`pvpipe: ${err.message}`);
    if (debug && err.stack) log(err.stack);
    process.exitCode = usage ? 2 : 1;
  }
}
// Stopping is a normal outcome with its own exit code: 130 after SIGINT, 143 after SIGTERM.
if (interruptedBy()) process.exitCode = exitCodeFor(interruptedBy()!);
debug = false;
