// pvpipe: the command line of the local engine.
import { Command, Option } from "commander";
import Papa from "papaparse";
import { describeGraph } from "../../f/lib/assets/graph.ts";
import { graph, ASSETS } from "../../f/lib/assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import { keyDimensions } from "../../f/lib/assets/partitions.ts";
import { planChunks } from "../../f/lib/planner/plan.ts";
import { requestShutdown } from "../../f/lib/runtime/shutdown.ts";
import { SOURCE_SCOPES, type SourceScope } from "../../f/lib/sources/scope.ts";
import { addDays, isoDate, yesterdayKst } from "../../f/lib/time/kst.ts";
import { flowById, FLOWS } from "../../flows/index.ts";
import { backfill } from "../../flows/backfill.ts";
import { resourceToUrl } from "../config/database_url.ts";
import { UsageError } from "../config/errors.ts";
import { migrate } from "../../f/lib/db/migrate.ts";
import { loadEnv, log, openApp } from "./app.ts";
import { describeReport, runFlowWithProgress } from "./commands/flow_run.ts";
import { startCommand } from "./commands/start.ts";
import { runOnWindmill } from "./commands/windmill_run.ts";
import { registerQualityCommands } from "./commands/checks.ts";
import { registerExportCommands } from "./commands/export.ts";
import { importLegacyCommand } from "./commands/import_legacy.ts";
import { backfillOptions, parseInputPairs, parseOptions } from "./options.ts";
import { collectStatus, renderStatus } from "./status_view.ts";

let debug = process.argv.includes("--debug");
const out = (s: string) => process.stdout.write(`${s}\n`);
const dbUrlOption = () => new Option("--db-url <url>", "PostgreSQL URL (default: DATABASE_URL, else the embedded database)");

function backfillInput(o: ReturnType<typeof parseOptions<typeof backfillOptions>>) {
  return {
    source: o.source, start: o.start, end: o.end, plant: o.gencd ?? "", unit: o.hogi ?? 0, stations: o.station ?? [],
    policy: o.policy, parallelism: o.parallelism, slack: o.slack, debug: o.debug,
  };
}

/** The command that loads what failed or was never reached (e.g. after a quota stop) in this range. */
function resumeCommand(o: ReturnType<typeof parseOptions<typeof backfillOptions>>): string {
  const unit = o.gencd ? ` --gencd ${o.gencd}${o.hogi ? ` --hogi ${o.hogi}` : ""}` : "";
  const stations = (o.station ?? []).map((s) => ` --station ${s}`).join("");
  return `pvpipe backfill --source ${o.source} --start ${o.start} --end ${o.end}${unit}${stations} --policy missing+failed`;
}

const program = new Command("pvpipe")
  .description("Asset-graph pipeline for Korean PV generation and weather (local engine)")
  .option("--debug", "show stack traces and step results")
  .showHelpAfterError()
  .exitOverride();

program
  .command("start")
  .description("Embedded or configured DB, migrations, 14-day catch-up, status; then run the schedules until Ctrl-C")
  .option("--once", "exit after the catch-up")
  .option("--days <n>", "catch-up window in days", "14")
  .addOption(dbUrlOption())
  .action(async (o) => {
    process.exitCode = await startCommand({ once: Boolean(o.once), days: Number(o.days), dbUrl: o.dbUrl, debug });
  });

program
  .command("backfill")
  .description("Load a source over a date range (only what the policy selects)")
  .requiredOption("--source <source>", "kospo | asos | koen")
  .requiredOption("--start <date>", "first day, YYYY-MM-DD (KST)")
  .requiredOption("--end <date>", "last day, YYYY-MM-DD (KST)")
  .option("--gencd <code>", "KOSPO plant code, e.g. 997S")
  .option("--hogi <n>", "unit number")
  .option("--station <id>", "ASOS station id, repeatable (default: the stations matched to plants)", collectValues, [] as string[])
  .option("--policy <policy>", "missing | failed | stale | all, or combined: missing+failed", "missing")
  .option("--parallelism <n>", "chunks at the same time", "4")
  .option("--slack", "post the run report to Slack")
  .option("--json", "print one JSON summary")
  .addOption(dbUrlOption())
  .addOption(new Option("--engine <engine>", "local = run here; windmill = start the deployed backfill flow on Windmill (BASE_URL, WM_TOKEN, WM_WORKSPACE)").choices(["local", "windmill"]).default("local"))
  .option("--wait", "with --engine windmill: follow the job to its end and report (exit code as with the local engine)")
  .action(async (raw) => {
    const o = parseOptions(backfillOptions, { ...raw, slack: Boolean(raw.slack), json: Boolean(raw.json), debug });
    if (raw.engine === "windmill") {
      process.exitCode = await runOnWindmill({ env: loadEnv(), flow: backfill, input: backfillInput(o), wait: Boolean(raw.wait), json: o.json, out, log });
      return;
    }
    if (raw.wait) throw new UsageError("--wait applies to --engine windmill only (the local engine always runs to the end)");
    const app = await openApp({ dbUrl: o.dbUrl, sources: true });
    try {
      const r = await runFlowWithProgress(app, backfill, backfillInput(o), { json: o.json, debug });
      if (o.json) out(JSON.stringify({ run_id: r.runId, exit_code: r.exitCode, error: r.error?.message ?? null, report: r.report }));
      else {
        out(describeReport(r.report));
        if (r.exitCode !== 0) out(`resume with: ${resumeCommand(o)}`);
      }
      process.exitCode = r.exitCode;
    } finally {
      await app.close();
    }
  });

program
  .command("plan")
  .description("Show what a backfill would do, without writing anything")
  .requiredOption("--source <source>", "kospo | asos | koen")
  .requiredOption("--start <date>", "first day")
  .requiredOption("--end <date>", "last day")
  .option("--gencd <code>", "plant code")
  .option("--hogi <n>", "unit number")
  .option("--station <id>", "ASOS station id, repeatable", collectValues, [] as string[])
  .option("--policy <policy>", "missing | failed | stale | all", "missing")
  .option("--json", "JSON output")
  .addOption(dbUrlOption())
  .action(async (raw) => {
    const o = parseOptions(backfillOptions, { ...raw, json: Boolean(raw.json), debug });
    const app = await openApp({ dbUrl: o.dbUrl });
    try {
      const scope = SOURCE_SCOPES[o.source];
      const dims = await scope.dims(app.sql, { plant: o.gencd, unit: o.hogi, stations: o.station });
      const include = (await (scope as SourceScope).alwaysPlan?.(app.sql, { start: o.start, end: o.end })) ?? [];
      const chunks = await planChunks(app.sql, { asset: scope.asset, start: o.start, end: o.end, dims, policy: o.policy, maxChunk: scope.maxChunk, include });
      const partitions = chunks.reduce((n, c) => n + c.partitions, 0);
      if (o.json) out(JSON.stringify({ asset: scope.asset.key, partitions, chunks }));
      else {
        out(`${scope.asset.key} ${o.start}..${o.end} policy ${o.policy}: ${partitions} partitions in ${chunks.length} chunks`);
        for (const c of chunks) out(`  ${c.pdim ?? ""} ${c.start}..${c.end} (${c.partitions})`);
      }
    } finally {
      await app.close();
    }
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
    const app = await openApp({ dbUrl: o.dbUrl, sources: true });
    try {
      const r = await runFlowWithProgress(app, flow, input, { json: Boolean(o.json), debug });
      if (o.json) out(JSON.stringify({ run_id: r.runId, exit_code: r.exitCode, error: r.error?.message ?? null, report: r.report }));
      else out(r.report ? describeReport(r.report) : `run ${r.runId} ${r.exitCode === 0 ? "success" : "failed"}`);
      process.exitCode = r.exitCode;
    } finally {
      await app.close();
    }
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
    const app = await openApp({ dbUrl: o.dbUrl });
    try {
      const rows = await collectStatus(app.sql, { asset: o.asset, start, end });
      if (o.json) out(JSON.stringify({ start, end, assets: rows }));
      else out(renderStatus(rows, { start, end }, Boolean(process.stdout.isTTY)));
    } finally {
      await app.close();
    }
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
    const app = await openApp({ dbUrl: o.dbUrl, migrate: false });
    try {
      const applied = await migrate(app.sql);
      out(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
    } finally {
      await app.close();
    }
  });

program
  .command("db-url")
  .description("Print the database URL (password redacted)")
  .option("--show-secrets", "print the password too")
  .option("--reader", "the read-only Grafana role's URL (pv_grafana; embedded database)")
  .addOption(dbUrlOption())
  .action(async (o) => {
    const app = await openApp({ dbUrl: o.dbUrl, migrate: Boolean(o.reader) });
    try {
      if (o.reader && !app.db.reader) {
        throw new UsageError("--reader: the pv_grafana password is known only for an embedded database made by this version; elsewhere give the role a password (docs/GRAFANA.md)");
      }
      out(resourceToUrl(o.reader ? app.db.reader! : app.db.resource, Boolean(o.showSecrets)));
    } finally {
      await app.close();
    }
  });

program
  .command("sql <query>")
  .description("Run a query on the configured database and print the rows")
  .option("--csv", "CSV with a header line")
  .addOption(dbUrlOption())
  .action(async (query: string, o) => {
    const app = await openApp({ dbUrl: o.dbUrl, migrate: false });
    try {
      const rows = (await app.sql.unsafe(query)) as unknown as Record<string, unknown>[] & { columns?: { name: string }[]; count?: number };
      const cols = rows.columns?.map((c) => c.name) ?? Object.keys(rows[0] ?? {});
      const plain = rows.map((r) => Object.fromEntries(cols.map((c: string) => [c, cell(r[c])])));
      if (o.csv) out(Papa.unparse({ fields: cols, data: plain.map((r) => cols.map((c: string) => r[c])) }, { newline: "\n" }));
      else if (plain.length) console.table(plain);
      else out(`(${rows.count ?? 0} rows)`);
    } finally {
      await app.close();
    }
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

function cell(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return v;
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

let interrupted = 0;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    log("stopping: finishing the current step (Ctrl-C again to force)…");
    requestShutdown();
  });
}

registerQualityCommands(program);
registerExportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error & { exitCode?: number; code?: string };
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") process.exitCode = 0;
  else if (err.code?.startsWith("commander.")) process.exitCode = 2;
  else {
    const usage = err instanceof UsageError || err.name === "InvalidPlanRequest" || err.name === "UnknownPlantUnit" || err.name === "UnknownStation" || err.name === "DateNotPublished" || err.name === "ClockSettingInvalid";
    log(`pvpipe: ${err.message}`);
    if (debug && err.stack) log(err.stack);
    process.exitCode = usage ? 2 : 1;
  }
}
debug = false;
