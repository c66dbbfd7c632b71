// `pvpipe export`: a dataset (pv_weather, kospo, koen, asos) over a range as a CSV or Parquet file
// with a manifest beside it. Options are checked (zod) before anything is read; the export itself
// is f/lib/export (shared with the Windmill step f/pv/export). Registered by main.ts.
import cliProgress from "cli-progress";
import { Command, Option } from "commander";
import { z } from "zod";
import { isExportUsageError } from "../../../f/lib/export/errors.ts";
import { DATASET_IDS } from "../../../f/lib/export/datasets.ts";
import { EXPORT_FORMATS } from "../../../f/lib/export/columns.ts";
import { discardTempFiles, planOutput } from "../../../f/lib/export/output.ts";
import { exportToFile, ExportStopped, type ExportFileResult } from "../../../f/lib/export/run.ts";
import { shutdownSignal } from "../../../f/lib/runtime/shutdown.ts";
import { isoDate } from "../../../f/lib/time/kst.ts";
import { parseDatabaseUrl, resourceToUrl } from "../../config/database_url.ts";
import { UsageError } from "../../config/errors.ts";
import { log, openApp } from "../app.ts";
import { outputOptions, parseOptions, startNotAfterEnd, stationIdOption } from "../options.ts";

const out = (s: string) => process.stdout.write(`${s}\n`);

export const exportOptions = z
  .object({
    dataset: z.enum(DATASET_IDS, { message: `--dataset must be ${DATASET_IDS.join(", ")}` }),
    start: isoDate,
    end: isoDate,
    plant: z.array(z.string().trim().min(1, "needs a plant code")).default([]),
    unit: z.array(z.coerce.number({ message: "must be a unit number such as 1" }).int("must be a unit number such as 1").min(1, "must be a unit number ≥ 1")).default([]),
    station: z.array(stationIdOption).default([]),
    format: z.enum(EXPORT_FORMATS, { message: "--format must be csv or parquet" }).optional(),
    out: z.string().trim().min(1, "needs a file or directory").optional(),
    measuredOnly: z.boolean().default(false),
    bom: z.boolean().default(true),
    force: z.boolean().default(false),
    ...outputOptions,
  })
  .superRefine(startNotAfterEnd)
  .transform((o) => {
    // --out x.parquet says the format when --format does not.
    const format = o.format ?? (o.out && /\.parquet$/i.test(o.out) ? "parquet" : "csv");
    return { ...o, format };
  });
export type ExportOptions = z.output<typeof exportOptions>;

/** The command line as the manifest records it: a password in --db-url is replaced by ***. */
export function redactedCommand(argv: readonly string[]): string {
  const args = [...argv];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const redact = (url: string) => {
      try {
        return resourceToUrl(parseDatabaseUrl(url, "--db-url"));
      } catch {
        return "***";
      }
    };
    if (a === "--db-url" && i + 1 < args.length) args[i + 1] = redact(args[++i]);
    else if (a.startsWith("--db-url=")) args[i] = `--db-url=${redact(a.slice("--db-url=".length))}`;
  }
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return ["pvpipe", ...args.map(quote)].join(" ");
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function describe(r: ExportFileResult): string {
  return `wrote ${r.rows.toLocaleString("en-US")} rows of ${r.units} unit${r.units === 1 ? "" : "s"} to ${r.path} (${mb(r.bytes)}); manifest ${r.manifest_path}`;
}

export async function exportCommand(raw: Record<string, unknown>, argv: readonly string[]): Promise<number> {
  const o = parseOptions(exportOptions, raw);
  if (!o.bom && o.format !== "csv") throw new UsageError("--no-bom applies to --format csv only");
  const defaultName = `${o.dataset}_${o.start}_${o.end}${o.measuredOnly ? "_measured" : ""}.${o.format}`;
  const paths = wrapUsage(() => planOutput(o.out, defaultName, { force: o.force, cwd: process.cwd() }));
  const app = await openApp({ dbUrl: o.dbUrl });
  let bar: cliProgress.SingleBar | null = null;
  const removeTemps = () => discardTempFiles();
  process.once("exit", removeTemps);
  try {
    const r = await wrapUsageAsync(() =>
      exportToFile(
        app.sql,
        {
          dataset: o.dataset,
          start: o.start,
          end: o.end,
          filter: { plants: o.plant, units: o.unit, stations: o.station },
          format: o.format,
          measuredOnly: o.measuredOnly,
          bom: o.bom,
          command: redactedCommand(argv),
        },
        paths,
        {
          signal: shutdownSignal,
          warn: (line) => log(`warning: ${line}`),
          start: ({ rows, units }) => {
            if (o.json || !process.stderr.isTTY) return;
            bar = new cliProgress.SingleBar(
              { format: `  ${o.dataset} {bar} {value}/{total} rows (${units} units) | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
            bar.start(rows, 0);
          },
          progress: (rows) => bar?.update(rows),
        },
      ),
    );
    (bar as cliProgress.SingleBar | null)?.stop();
    out(o.json ? JSON.stringify(r) : describe(r));
    return 0;
  } catch (e) {
    (bar as cliProgress.SingleBar | null)?.stop();
    if (e instanceof ExportStopped) {
      log(`pvpipe: ${e.message}`);
      return 130;
    }
    throw e;
  } finally {
    process.removeListener("exit", removeTemps);
    await app.close();
  }
}

/** Typed export errors that mean "change the command" become usage errors (exit 2, one line). */
function wrapUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toUsage(e);
  }
}

async function wrapUsageAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toUsage(e);
  }
}

function toUsage(e: unknown): unknown {
  if (!isExportUsageError(e)) return e;
  const u = new UsageError(e.message);
  (u as Error).cause = e;
  return u;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerExportCommands(program: Command): void {
  program
    .command("export")
    .description("Write a dataset over a range to a CSV or Parquet file, with a manifest beside it")
    .requiredOption("--dataset <name>", DATASET_IDS.join(" | "))
    .requiredOption("--start <date>", "first day, YYYY-MM-DD (KST)")
    .requiredOption("--end <date>", "last day, YYYY-MM-DD (KST)")
    .option("--plant <code>", "plant code (KOSPO gencd, KOEN 발전구분), repeatable (default: every plant)", collect, [] as string[])
    .option("--unit <n>", "unit number (호기) of the selected plants, repeatable", collect, [] as string[])
    .option("--station <id>", "ASOS station id, repeatable (asos: the stations; pv_weather: plants matched to them)", collect, [] as string[])
    .addOption(new Option("--format <format>", "csv | parquet (default: from --out's extension, else csv)"))
    .option("--out <path>", "file, or a directory for the default name <dataset>_<start>_<end>.<format>")
    .option("--measured-only", "measured values only: leave out the *_filled and *_fill_method columns")
    .option("--no-bom", "CSV without the UTF-8 byte-order mark (the BOM makes Excel show Hangul correctly)")
    .option("--force", "replace an existing file and manifest")
    .option("--json", "print one JSON summary")
    .addOption(new Option("--db-url <url>", "PostgreSQL URL (default: DATABASE_URL, else the embedded database)"))
    .action(async (o) => {
      process.exitCode = await exportCommand({ ...o, measuredOnly: Boolean(o.measuredOnly), force: Boolean(o.force), json: Boolean(o.json) }, process.argv.slice(2));
    });
}
