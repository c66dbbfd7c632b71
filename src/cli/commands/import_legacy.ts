// `pvpipe import-legacy --from-db URL | --from-dir PATH [--dry-run] [--prefer new|legacy] [--json]`:
// bring the earlier Python pipeline's tables or CSV archive over, corrected (src/legacy/import.ts).
// The inputs are checked before anything is written: a missing directory, an unreachable database
// or neither/both sources is a usage error (exit 2, one line). The legacy URL's password is never
// printed or recorded.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import postgres from "postgres";
import type { PgResource, Pool } from "../../../f/lib/db/resource.ts";
import { FILLED_METHODS } from "../../../f/lib/quality/impute_plan.ts";
import { parseDatabaseUrl, resourceToUrl } from "../../config/database_url.ts";
import { UsageError } from "../../config/errors.ts";
import { importLegacy, type ImportResult } from "../../legacy/import.ts";
import { openApp } from "../app.ts";
import { importLegacyOptions, parseOptions } from "../options.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { CliContext } from "./context.ts";

const out = (s: string) => process.stdout.write(`${s}\n`);

function redact(message: string, r: PgResource): string {
  return r.password ? message.split(r.password).join("***") : message;
}

/** Connect to the legacy database, or a usage error naming it (password redacted). */
async function openLegacyDb(url: string): Promise<{ sql: Pool; shown: string }> {
  const r = parseDatabaseUrl(url, "--from-db");
  const shown = resourceToUrl(r);
  const ssl = r.sslmode && !["disable", "allow", "prefer"].includes(r.sslmode) ? "require" : false;
  const sql = postgres({
    host: r.host, port: r.port, user: r.user, password: r.password, database: r.dbname, ssl,
    max: 2, connect_timeout: 10, onnotice: () => {}, connection: { application_name: "pvpipe import-legacy" },
  });
  try {
    await sql`select 1`;
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const msg = redact((e as Error).message || String((e as { code?: string }).code ?? e), r);
    throw new UsageError(`--from-db: cannot connect to ${shown}: ${msg}`);
  }
  return { sql, shown };
}

async function checkDir(path: string): Promise<string> {
  const abs = resolve(path);
  const s = await stat(abs).catch(() => null);
  if (!s) throw new UsageError(`--from-dir: ${abs} does not exist`);
  if (!s.isDirectory()) throw new UsageError(`--from-dir: ${abs} is not a directory`);
  return abs;
}

export async function importLegacyCommand(raw: Record<string, unknown>, debug: boolean): Promise<number> {
  const o = parseOptions(importLegacyOptions, { ...raw, dryRun: Boolean(raw.dryRun), json: Boolean(raw.json) });
  const dir = o.fromDir !== undefined ? await checkDir(o.fromDir) : null;
  const legacy = o.fromDb !== undefined ? await openLegacyDb(o.fromDb) : null;
  try {
    const app = await openApp({ dbUrl: o.dbUrl });
    try {
      const r = await importLegacy(app.sql, {
        legacyDb: legacy?.sql ?? null,
        dir,
        describeSource: legacy ? `database ${legacy.shown}` : `directory ${dir}`,
        dryRun: o.dryRun,
        prefer: o.prefer,
        log: debug || !o.json ? (s) => process.stderr.write(`${s}\n`) : undefined,
      });
      out(o.json ? JSON.stringify(r) : renderImport(r));
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await legacy?.sql.end({ timeout: 5 });
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

export function renderImport(r: ImportResult): string {
  const lines: string[] = [];
  lines.push(r.dry_run
    ? `import-legacy from ${r.source} — dry run, nothing written (conflicts: ${r.prefer === "new" ? "rows already loaded win" : "legacy rows win"})`
    : `import-legacy from ${r.source} — run ${r.run_id} (conflicts: ${r.prefer === "new" ? "rows already loaded win" : "legacy rows win"})`);
  lines.push("sources:");
  for (const s of r.sources) lines.push(`  ${s}`);
  if (r.not_imported.length) {
    lines.push("not imported:");
    for (const u of r.not_imported) lines.push(`  ${u.table} ${u.unit}: ${u.rows} rows — ${u.reason}`);
  }
  if (r.units.length) {
    lines.push(`${"table".padEnd(18)} ${"unit".padEnd(22)} ${pad("read", 8)} ${pad("shifted", 8)} ${pad("dups", 6)} ${pad("rows", 8)} ${pad("gap h", 6)} ${pad("conflict", 8)} ${pad("same", 6)} ${pad("fills", 6)} ${pad("complete", 8)} ${pad("partial", 7)} ${pad("fetched", 7)}  range`);
    for (const u of r.units) {
      lines.push(`${u.table.padEnd(18)} ${u.unit.padEnd(22)} ${pad(u.read, 8)} ${pad(u.shifted, 8)} ${pad(u.duplicates, 6)} ${pad(u.rows, 8)} ${pad(u.gap_hours, 6)} ${pad(u.conflicts, 8)} ${pad(u.identical, 6)} ${pad(u.fills, 6)} ${pad(u.complete, 8)} ${pad(u.incomplete, 7)} ${pad(u.fetched, 7)}  ${u.first ?? ""}..${u.last ?? ""}`);
      for (const g of u.gaps) lines.push(`${"".padEnd(19)}gap ${g}`);
      if (u.gap_count > u.gaps.length) lines.push(`${"".padEnd(19)}… ${u.gap_count - u.gaps.length} more gaps`);
    }
    lines.push("complete = partitions the legacy rows cover completely (recorded as materialized, source legacy); partial = left for a backfill;");
    lines.push(`fetched = complete partitions already materialized by a fetch (${r.prefer === "new" ? "kept as they are" : "replaced by the legacy rows"})`);
  } else {
    lines.push("no legacy rows found");
  }
  for (const t of r.tables) {
    lines.push(`${t.table}: ${t.staged} rows staged in ${t.partitions} partitions → ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged; ${t.asset}: ${t.recorded} partitions recorded (source legacy)`);
    for (const u of t.new_units) lines.push(`  new unit ${String(u.plant_name)} 호기 ${String(u.hogi)} (first seen ${u.first_partition}) added to namdong_plants without coordinates`);
    if (t.impute) {
      const m = t.impute.methods;
      const filled = FILLED_METHODS.filter((k) => k !== "none" && m[k] > 0).map((k) => `${m[k]} ${k}`);
      lines.push(`  impute ${t.impute.start}..${t.impute.end}: ${t.impute.units} units, filled ${filled.length ? filled.join(", ") : "none"}, ${m.none} left NULL, ${t.impute.updated} rows updated`);
    }
  }
  if (!r.dry_run) lines.push("later backfills (policy missing) fetch only the partitions that are not materialized: see pvpipe status");
  return lines.join("\n");
}

export function registerImportLegacyCommand(program: Command, { debug }: CliContext): void {
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
      process.exitCode = await importLegacyCommand(o, debug());
    });
}
