// `pvpipe export` end to end through the real CLI: the files are read back with independent
// readers (papaparse for CSV, hyparquet for Parquet — the writer is hyparquet-writer) and every
// value is compared with the database, NULLs included; the expected rows come from SQL written
// here against the serving tables and pv_weather_hourly, not from the export's own queries. The
// manifest is checked against ops.asset_partitions, the check results and counts in SQL; bad
// input ends with one line, exit 2 and no file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASOS_FILLED_COLUMNS } from "../../f/lib/sources/asos/item.ts";
import { exportInline } from "../../f/lib/export/run.ts";
import { main as exportStep } from "../../f/pv/export.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { expectEvery } from "../helpers/expect_every.ts";
import { generatePvWeather } from "../../src/simulators/pv_weather_history.ts";

let db: TestDb;
let dir: string;
const START = "2024-06-01";
const END = "2024-06-02";
const env = () => cliEnv();

type Row = Record<string, unknown>;

beforeAll(async () => {
  db = await createTestDb();
  await generatePvWeather(db.sql, { start: START, end: END });
  // Text that needs CSV quoting, and a check failing in the range (and one outside it, one passed).
  // (weather_asos keeps the name it was loaded with; asos_stations is re-seeded by every command)
  await db.sql`update public.weather_asos set station_name = station_name || ', "북"' where stn_id = (select min(stn_id) from public.plant_station)`;
  await db.sql`insert into ops.check_results (asset, partition, check_name, passed, severity, value, message, day, unit, blocking)
    values ('kospo/hourly', ${`${START}|997S-1`}, 'one_cell_day', false, 'error', 0.99, 'whole day in one hour', ${START}, '997S-1', false),
           ('kospo/hourly', '2024-05-01|997S-1', 'one_cell_day', false, 'error', 0.99, 'outside the range', '2024-05-01', '997S-1', false),
           ('kospo/hourly', ${`${END}|9985-1`}, 'completeness', true, 'warn', 24, 'ok', ${END}, '9985-1', false)`;
  dir = mkdtempSync(join(tmpdir(), "pvpipe-export-"));
  made.push(dir);
}, 300_000);
afterAll(async () => {
  await db?.drop();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
/** Temp dirs this file made, removed when it ends. */
const made: string[] = [];

const exportArgs = (extra: string[]) => ["export", "--start", START, "--end", END, "--db-url", pgUrl(db.resource), ...extra];

/** The truth for pv_weather: the serving tables joined as docs/WEATHER.md says (tm = T + 1 h), written here. */
async function pvWeatherTruth(): Promise<Row[]> {
  const filled = ASOS_FILLED_COLUMNS.filter((f) => f !== "icsr");
  return db.sql.unsafe(`
    select v.operator, v.plant_code, v.hogi, v.plant_name, coalesce(p.data_quality, '미검증') as data_grade, p.hourly_valid_from::text as hourly_valid_from,
           v.datetime, v.generation, v.generation_filled, g.fill_method as generation_fill_method,
           v.stn_id, st.station_name, v.distance_km as station_distance_km, v.solar_stn_id, v.solar_station_name,
           v.solar_distance_km as solar_station_distance_km, v.weather_tm,
           v.ta, v.hm, v.td, v.pv, v.pa, v.ps, v.ws, v.wd, v.rn, v.ss, v.dc10_tca, v.dc10_lmcs_ca, v.lcs_ch, v.vs, v.ts, v.dsnw,
           ${filled.map((f) => `w.${f}_filled, w.fill_methods ->> '${f}' as ${f}_fill_method`).join(", ")},
           v.icsr, v.icsr_filled, ws.fill_methods ->> 'icsr' as icsr_fill_method
    from public.pv_weather_hourly v
    join (select 'kospo' as operator, gencd as code, hogi, datetime, fill_method from public.nambu_generation
          union all select 'koen', plant_name, hogi, datetime, fill_method from public.namdong_generation) g
      on g.operator = v.operator and g.code = v.plant_code and g.hogi = v.hogi and g.datetime = v.datetime
    left join (select 'kospo' as operator, gencd as code, hogi, data_quality, hourly_valid_from from public.nambu_plants
               union all select 'koen', plant_name, hogi, data_quality, hourly_valid_from from public.namdong_plants) p
      on p.operator = v.operator and p.code = v.plant_code and p.hogi = v.hogi
    join public.asos_stations st on st.stn_id = v.stn_id
    left join public.weather_asos w on w.stn_id = v.stn_id and w.datetime = v.weather_tm
    left join public.weather_asos ws on ws.stn_id = v.solar_stn_id and ws.datetime = v.weather_tm
    where v.datetime >= '${START} 00:00+09' and v.datetime < '${END} 00:00+09'::timestamptz + interval '1 day'
    order by v.operator desc, v.plant_code, v.hogi, v.datetime`) as unknown as Promise<Row[]>;
}

const TIME_COLUMNS: Record<string, string> = { interval_start_kst: "datetime", interval_start_utc: "datetime", weather_observed_at_kst: "weather_tm" };

/** A file value (CSV text or Parquet value) against the database value of the same column. */
function same(col: string, file: unknown, truth: unknown, kind: "csv" | "parquet"): boolean {
  if (truth === null || truth === undefined) return kind === "csv" ? file === "" : file === null || file === undefined;
  if (truth instanceof Date) {
    const ms = file instanceof Date ? file.getTime() : typeof file === "bigint" ? Number(file) : Date.parse(String(file));
    // KST columns in Parquet are wall-clock times (not UTC-adjusted): 9 h ahead of the instant.
    const offset = kind === "parquet" && col.endsWith("_kst") ? 9 * 3_600_000 : 0;
    if (kind === "csv" && col.endsWith("_kst") && !String(file).endsWith("+09:00")) return false;
    if (kind === "csv" && col.endsWith("_utc") && !String(file).endsWith("Z")) return false;
    return ms === truth.getTime() + offset;
  }
  if (typeof truth === "number") return kind === "csv" ? file !== "" && Number(file) === truth : file === truth;
  if (col === "hourly_valid_from" && kind === "parquet") return file instanceof Date && file.toISOString().slice(0, 10) === truth;
  return file === truth;
}

function compareRows(fileRows: Row[], truth: Row[], columns: string[], kind: "csv" | "parquet") {
  expect(fileRows.length).toBe(truth.length);
  const bad: string[] = [];
  let compared = 0;
  let nulls = 0;
  fileRows.forEach((r, i) => {
    for (const c of columns) {
      const t = truth[i][TIME_COLUMNS[c] ?? c];
      if (t === null) nulls++;
      compared++;
      if (!same(c, r[c], t, kind)) bad.push(`row ${i} ${c}: file ${String(r[c])} db ${String(t)}`);
    }
  });
  expect(bad.slice(0, 10)).toEqual([]);
  expect(compared).toBe(truth.length * columns.length);
  expect(nulls).toBeGreaterThan(0);
}

function readCsv(path: string): { bom: boolean; header: string[]; rows: Row[] } {
  const text = readFileSync(path, "utf8");
  const bom = text.startsWith("\uFEFF");
  const parsed = Papa.parse<Row>(bom ? text.slice(1) : text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { bom, header: parsed.meta.fields ?? [], rows: parsed.data };
}

describe("pvpipe export", () => {
  it("pv_weather as CSV: UTF-8 with BOM, every value equals the database, NULL as an empty field", async () => {
    const out = join(dir, "pvw.csv");
    const r = await runCli(exportArgs(["--dataset", "pv_weather", "--out", out]), env());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 1,968 rows of 41 units to /);
    const csv = readCsv(out);
    expect(csv.bom).toBe(true);
    const truth = await pvWeatherTruth();
    expect(truth.length).toBe(41 * 48);
    compareRows(csv.rows, truth, csv.header, "csv");
    expect(csv.header).toContain("ta_fill_method");
  });

  it("pv_weather as Parquet: typed columns (UTC timestamps, doubles, dictionary-encoded names) read back by hyparquet equal the database", async () => {
    const out = join(dir, "pvw.parquet");
    const r = await runCli(exportArgs(["--dataset", "pv_weather", "--out", out]), env());
    expect(r.code).toBe(0);
    const file = await asyncBufferFromFile(out);
    const meta = await parquetMetadataAsync(file);
    const schema = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s]));
    expect(schema.interval_start_utc).toMatchObject({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } });
    expect(schema.interval_start_kst).toMatchObject({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false } });
    expect(schema.generation.type).toBe("DOUBLE");
    expect(schema.hogi.type).toBe("INT32");
    expect(schema.plant_name).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
    const chunks = meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!));
    expectEvery(chunks.filter((c) => ["plant_name", "station_name", "generation_fill_method"].includes(c.path_in_schema[0])), (c) => c.encodings.includes("RLE_DICTIONARY"), "name/method column chunks");
    const rows = (await parquetReadObjects({ file })) as Row[];
    compareRows(rows, await pvWeatherTruth(), meta.schema.slice(1).map((s) => s.name), "parquet");
  });

  it("the manifest matches the database: rows per plant, fill methods, data versions, failing checks, file hash; no password", async () => {
    const out = join(dir, "pvw.csv");
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    expect(m.pvpipe_version).toBe(JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")).version);
    expect(m.command).not.toContain(db.resource.password);
    expect(m.command).toContain(":***@");
    expect(m.range).toMatchObject({ start: START, end: END, from: "2024-05-31T15:00:00.000Z", to: "2024-06-02T15:00:00.000Z" });
    expect(m.file.sha256).toBe(createHash("sha256").update(readFileSync(out)).digest("hex"));
    expect(m.file.bytes).toBe(readFileSync(out).length);
    const perUnit = await db.sql<{ k: string; n: number }[]>`
      select v.operator || ':' || v.plant_code || '-' || v.hogi as k, count(*)::int as n from pv_weather_hourly v
      where v.datetime >= ${`${START} 00:00+09`} and v.datetime < ${`${END} 00:00+09`}::timestamptz + interval '1 day' group by 1`;
    expect(m.rows_per_unit).toEqual(Object.fromEntries(perUnit.map((x) => [x.k, x.n])));
    expect(m.rows).toBe(perUnit.reduce((a, x) => a + x.n, 0));
    const truth = await pvWeatherTruth();
    const counts = (col: string) => {
      const c: Record<string, number> = {};
      for (const t of truth) {
        const k = (t[col] as string | null) ?? "(null)";
        c[k] = (c[k] ?? 0) + 1;
      }
      return c;
    };
    for (const col of ["generation_fill_method", ...ASOS_FILLED_COLUMNS.map((f) => `${f}_fill_method`)]) expect(m.fill_methods[col], col).toEqual(counts(col));
    expect(Object.keys(m.fill_methods.generation_fill_method)).toEqual(expect.arrayContaining(["measured", "linear", "night_zero"]));
    const versions = await db.sql<{ asset: string; unit: string; day: string; v: string }[]>`
      select asset, coalesce(pdim, '') as unit, to_char(pdate, 'YYYY-MM-DD') as day, data_version as v from ops.asset_partitions
      where (asset in ('kospo/hourly', 'asos/hourly') and pdate between ${START} and ${END})
         or (asset = 'asos/hourly' and pdate = ${END}::date + 1) or (asset = 'koen/hourly' and pdate = '2024-06-01')`;
    const expected: Record<string, Record<string, Record<string, string>>> = {};
    for (const v of versions) ((expected[v.asset] ??= {})[v.unit] ??= {})[v.day] = v.v;
    expect(m.data_versions).toEqual(expected);
    expect(m.failing_checks).toEqual([
      { asset: "kospo/hourly", check_name: "one_cell_day", partition: `${START}|997S-1`, day: START, unit: "997S-1", severity: "error", blocking: false, value: 0.99, message: "whole day in one hour" },
    ]);
    expect(m.missing_partitions).toEqual([]);
    expect(m.columns.map((c: { name: string }) => c.name)).toEqual(readCsv(out).header);
  });

  it("kospo, koen and asos: the serving table's columns with provenance, equal to the database", async () => {
    const cases = [
      { dataset: "kospo", quoted: 0, sql: `select g.*, coalesce(g.plant_name, p.plant_name) as plant_name, coalesce(p.data_quality, '미검증') as data_grade, p.hourly_valid_from::text as hourly_valid_from, g.datetime as interval_start_kst, g.datetime as interval_start_utc, date_trunc('second', g.updated_at) as updated_at_utc
          from nambu_generation g join nambu_plants p using (gencd, hogi) where datetime >= '${START} 00:00+09' and datetime < '${END} 00:00+09'::timestamptz + interval '1 day' order by gencd, hogi, datetime` },
      { dataset: "koen", quoted: 0, sql: `select g.*, p.display_name, coalesce(p.data_quality, '미검증') as data_grade, p.hourly_valid_from::text as hourly_valid_from, g.datetime as interval_start_kst, g.datetime as interval_start_utc, date_trunc('second', g.updated_at) as updated_at_utc
          from namdong_generation g join namdong_plants p using (plant_name, hogi) where datetime >= '${START} 00:00+09' and datetime < '${END} 00:00+09'::timestamptz + interval '1 day' order by plant_name, hogi, datetime` },
      { dataset: "asos", quoted: 48, sql: `select w.*, ${ASOS_FILLED_COLUMNS.map((f) => `w.fill_methods ->> '${f}' as ${f}_fill_method`).join(", ")}, w.datetime as observed_at_kst, w.datetime as observed_at_utc, date_trunc('second', w.updated_at) as updated_at_utc
          from weather_asos w where stn_id in (select distinct s from plant_station, lateral (values (stn_id), (solar_stn_id)) v(s))
          and datetime >= '${START} 00:00+09' and datetime < '${END} 00:00+09'::timestamptz + interval '1 day' order by stn_id, datetime` },
    ];
    for (const c of cases) {
      const out = join(dir, `${c.dataset}.csv`);
      const r = await runCli(exportArgs(["--dataset", c.dataset, "--out", out]), env());
      expect(r.code, r.stderr).toBe(0);
      const csv = readCsv(out);
      const truth = (await db.sql.unsafe(c.sql)) as unknown as Row[];
      expect(truth.length, c.dataset).toBeGreaterThan(0);
      compareRows(csv.rows, truth, csv.header, "csv");
      // Text with a comma and quotes comes back whole (RFC 4180 quoting): the one renamed station's 48 hours.
      expect(csv.rows.filter((x) => String(x.station_name).endsWith(', "북"')).length, c.dataset).toBe(c.quoted);
    }
  });

  it("--measured-only leaves out the filled values and their methods; --no-bom drops the BOM", async () => {
    const out = join(dir, "measured.csv");
    const r = await runCli(exportArgs(["--dataset", "kospo", "--plant", "997S", "--measured-only", "--no-bom", "--out", out]), env());
    expect(r.code, r.stderr).toBe(0);
    const csv = readCsv(out);
    expect(csv.bom).toBe(false);
    expect(csv.header.filter((h) => /_filled$|fill_method$/.test(h))).toEqual([]);
    expect(csv.header).toContain("generation");
    expect(new Set(csv.rows.map((x) => x.gencd))).toEqual(new Set(["997S"]));
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const clean = mkdtempSync(join(tmpdir(), "pvpipe-export-bad-"));
    made.push(clean);
    const existing = join(clean, "exists.csv");
    writeFileSync(existing, "keep me");
    const cases: [string[], RegExp][] = [
      [["--dataset", "weather"], /--dataset must be pv_weather, kospo, koen, asos/],
      [["--dataset", "kospo", "--plant", "NOPE"], /unknown plant "NOPE"/],
      [["--dataset", "asos", "--station", "99999"], /unknown ASOS station 99999/],
      [["--dataset", "pv_weather", "--station", "abc"], /--station: must be an ASOS station id/],
      [["--dataset", "pv_weather", "--start", "2020-01-01", "--end", "2020-01-02"], /nothing to export.*kospo\/hourly: \d+ partitions not loaded.*load with: pvpipe backfill --source kospo --start 2020-01-01 --end 2020-01-02/],
      [["--dataset", "asos", "--out", join(clean, "no", "such", "dir", "x.csv")], /cannot write .*does not exist/],
      [["--dataset", "asos", "--out", join(existing, "x.csv")], /is not a directory/],
      [["--dataset", "asos", "--out", existing], /exists: give --force/],
      [["--dataset", "asos", "--format", "xlsx", "--out", join(clean, "x.xlsx")], /--format must be csv or parquet/],
    ];
    for (const [args, message] of cases) {
      const base = exportArgs([]);
      // later --start/--end win in commander; put the case's own after the defaults
      const r = await runCli([...base, "--out", join(clean, "default.csv"), ...args], env());
      expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain(db.resource.password);
    }
    expect(readdirSync(clean).sort()).toEqual(["exists.csv"]);
    expect(readFileSync(existing, "utf8")).toBe("keep me");
    // --force replaces it.
    const [{ stn }] = await db.sql<{ stn: number }[]>`select min(stn_id)::int as stn from public.plant_station`;
    const r = await runCli([...exportArgs(["--dataset", "asos", "--station", String(stn), "--out", existing, "--force"])], env());
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(existing, "utf8")).not.toBe("keep me");
  });

  it("a partly loaded range exports what is there, warns with the missing partitions and the command that loads them, and lists them in the manifest", async () => {
    const out = join(dir, "partial.csv");
    const r = await runCli(["export", "--dataset", "pv_weather", "--start", START, "--end", "2024-06-03", "--db-url", pgUrl(db.resource), "--out", out], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: some partitions are not loaded .*kospo\/hourly: 18 partitions not loaded .*load with: pvpipe backfill --source kospo --start 2024-06-01 --end 2024-06-03 --policy missing\+failed/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    expect(m.rows).toBe(41 * 48);
    const kospo = m.missing_partitions.find((x: { asset: string }) => x.asset === "kospo/hourly");
    expect(kospo.partitions).toBe(18);
    expectEvery(kospo.runs as { start: string; end: string }[], (x) => x.start === "2024-06-03" && x.end === "2024-06-03", "missing KOSPO runs");
    const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from ops.asset_partitions where asset = 'kospo/hourly' and pdate = '2024-06-03'`;
    expect(n).toBe(0);
  });

  it("the Windmill step: a small range inline as JSON rows, or a file at out_path", async () => {
    const inline = (await exportStep(db.resource, "kospo", START, START, ["997S"], [], [], "csv", "", false, true, false)) as { rows: number; data: Row[]; rows_per_unit: Record<string, number> };
    expect(inline.rows).toBe(24);
    expect(inline.rows_per_unit).toEqual({ "997S-1": 24 });
    const truth = await db.sql<{ generation: number | null }[]>`select generation from nambu_generation where gencd = '997S' and datetime >= ${`${START} 00:00+09`} and datetime < ${`${START} 00:00+09`}::timestamptz + interval '1 day' order by hogi, datetime`;
    expect(inline.data.map((x) => x.generation)).toEqual(truth.map((x) => x.generation));
    const sub = join(dir, "step");
    mkdirSync(sub);
    const file = (await exportStep(db.resource, "pv_weather", START, END, [], [], [], "parquet", sub, false, true, false)) as { path: string; rows: number };
    expect(file.path).toBe(join(sub, `pv_weather_${START}_${END}.parquet`));
    expect(file.rows).toBe(41 * 48);
    expect(existsSync(`${file.path}.manifest.json`)).toBe(true);
    const req = { dataset: "pv_weather" as const, start: START, end: END, filter: { plants: [], units: [], stations: [] }, format: "csv" as const, measuredOnly: false, bom: true, command: "test" };
    await expect(exportInline(db.sql, req, 100)).rejects.toThrow(/1968 rows are too many to return inline \(at most 100\): give out_path/);
  });
});
