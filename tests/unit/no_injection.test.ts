// "No command executes shell strings or SQL built from user input" (issue #10), checked on the
// source: product code never starts a shell or evaluates text, and every place that sends SQL text
// instead of a parameterised tagged query is listed here with why its text cannot carry input.
// A new `.unsafe(` call fails this test until it is reviewed and added with its reason. (The
// bad-input suite, tests/reliability/bad_input.test.ts, sends SQL-looking strings through every
// CLI option and checks nothing is written.)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const PRODUCT_DIRS = ["f", "src", "flows", "schedules", "resources"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith(".ts") && !p.endsWith("_gen.ts") ? [p] : [];
  });
}
const product = PRODUCT_DIRS.flatMap((d) => files(join(ROOT, d))).map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, "utf8") }));

/** Reviewed SQL-text call sites: file → [count, why no input reaches the text]. */
const REVIEWED: Record<string, [number, string]> = {
  "f/lib/db/copy.ts": [2, "COPY target table and columns are constants of the calling module; COPY (…) TO STDOUT texts are the export's query, built from its dataset definitions (range and unit are set_config parameters)"],
  "f/lib/db/migrate.ts": [1, "the project's own migration files, embedded at build time"],
  "f/lib/quality/units.ts": [2, "table and column names from the typed fill models (the units of a range, and those with rows in it); values are $n parameters"],
  "f/lib/quality/impute.ts": [5, "table and column names from the typed fill models (ident()); values are $n parameters"],
  "f/lib/quality/impute_references.ts": [3, "table and column names from the typed fill models and the constant operator branches of plant_station.ts (ident()); unit keys, stations, bounds and distances are $n parameters"],
  "f/lib/quality/run_checks.ts": [2, "check SQL built from the asset's declared checks and fill model (chunk_checks_sql.ts, ident()); subjects, bounds and ids are $n parameters"],
  "f/lib/quality/impute_evaluate.ts": [5, "table and column names from the typed fill models and a constant temporary table (ident()); values are $n parameters"],
  "f/lib/load/ingest.ts": [1, "the upsert (which also returns the data versions) generated from the source's constant table description and the stage table's column types (upsert_sql.ts, ident()); values are $n parameters"],
  "f/lib/load/register_units.ts": [1, "units table and identity columns from the source's constant table description (ident()); values are $n parameters"],
  "f/lib/sources/asos/plant_station.ts": [4, "view text from constant branches; the comment is the view's own signature and doc, quoted"],
  "f/lib/store/stage_gc.ts": [1, "stage table names are constants of the source modules"],
  "src/cli/commands/sql.ts": [1, "`pvpipe sql` runs the user's query on the user's own database, as psql does: that is the command"],
  "src/db/embedded.ts": [4, "role and database names are constants or read from the server's own credentials file; passwords are generated base64url, quoted"],
  "src/legacy/read_db.ts": [5, "legacy table and column names come from that database's catalog and are quoted"],
  "src/legacy/sql.ts": [3, "staging table names are constants of the module; values are $n parameters"],
  "src/simulators/pv_weather_history.ts": [1, "ANALYZE of the module's constant table names (PV_WEATHER_TABLES)"],
};

describe("no shell strings, no SQL text built from input", () => {
  it("product code never starts a shell or evaluates text", () => {
    const offenders = product.filter((f) => /\beval\(|new Function\(|\bexecSync\(|\bexecFile(Sync)?\(|shell:\s*true/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
    // Processes are started in reviewed places only, each a fixed binary with an argument list, no shell.
    const spawning = product.filter((f) => /child_process/.test(f.text)).map((f) => f.path);
    expect(spawning).toEqual([
      "src/codegen/bun_install.ts", // `bun install` as a Windmill worker runs it (codegen, not the CLI)
      "src/db/server_process.ts", // the embedded PostgreSQL server, detached
    ]);
  });

  it("every .unsafe( call site is a reviewed one", () => {
    const found: Record<string, number> = {};
    for (const f of product) {
      const n = f.text.split(/\.unsafe[(<]/).length - 1;
      if (n) found[f.path] = n;
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(REVIEWED).map(([p, [n]]) => [p, n])));
  });

  it("the CLI passes user values to SQL only as parameters", () => {
    // Options are parsed by zod (src/cli/options.ts) and reach SQL through tagged templates.
    const cli = product.filter((f) => f.path.startsWith("src/cli/"));
    const interpolatedUnsafe = cli.filter((f) => /\.unsafe\(\s*`[^`]*\$\{/.test(f.text)).map((f) => f.path);
    expect(interpolatedUnsafe).toEqual([]);
  });
});
