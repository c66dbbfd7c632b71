// `pvpipe import-legacy` against a legacy database and a CSV archive built with the earlier
// pipeline's defects (DOMAIN §1.12, §2.8, §9 pitfalls 4, 7, 8, 14), checked against hand-computed rows.
import iconv from "iconv-lite";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { Sql } from "../../f/lib/db/resource.ts";
import { planChunks } from "../../f/lib/planner/plan.ts";
import { recordMaterializations } from "../../f/lib/store/record_materializations.ts";
import { startRun } from "../../f/lib/store/runs.ts";
import { importLegacy, type ImportResult } from "../../src/legacy/import.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let target: TestDb; // the pvpipe database the DB import goes into
let target2: TestDb; // the pvpipe database the CSV import goes into
let legacy: TestDb; // the earlier pipeline's database
// The URL given to --from-db always carries a password (a server with trust auth ignores it), so
// the checks that it is never printed or recorded always have something to look for.
const legacyPassword = () => legacy.resource.password || "trust-auth-ignores-this";
const legacyUrl = () => pgUrl({ ...legacy.resource, password: legacyPassword() });
let archive: string;
let env: NodeJS.ProcessEnv;

const unit = (r: ImportResult, table: string, u: string) => {
  const x = r.units.find((v) => v.table === table && v.unit === u);
  if (!x) throw new Error(`no report for ${table} ${u}: ${JSON.stringify(r.units.map((v) => `${v.table} ${v.unit}`))}`);
  return x;
};

async function servedKospo(sql: Sql, day: string): Promise<Record<string, number | null>> {
  const rows = await sql<{ h: string; generation: number | null }[]>`
    select to_char(datetime at time zone 'Asia/Seoul', 'HH24') as h, generation from nambu_generation
    where gencd = '997S' and hogi = 1 and (datetime at time zone 'Asia/Seoul')::date = ${day}::date order by datetime`;
  return Object.fromEntries(rows.map((r) => [r.h, r.generation]));
}

async function buildLegacyDb(sql: Sql): Promise<void> {
  await sql.unsafe(`
    -- DDL of pv_test/init_db.py (DOMAIN §1.13, §2.8) and HEAD's weather_asos (§3.5); namdong_plants absent
    create table nambu_generation (id serial primary key, datetime timestamp, gencd varchar(20), plant_name varchar(200),
      hogi integer, generation real, daily_total real, daily_avg real, daily_max real, daily_min real);
    create table nambu_plants (id serial primary key, plant_name varchar(200) unique, address varchar(500),
      capacity varchar(500), install_angle varchar(100), latitude real, longitude real);
    create table namdong_generation (id serial primary key, datetime timestamp, plant_name varchar(100), hour integer, generation real);
    create table weather_asos (id serial primary key, timestamp timestamp not null, station_name varchar(50) not null,
      temperature float, humidity float, solar_radiation float);

    -- Nambu, legacy merge (1 h late): label N of day D stored at D + N h, for 2025-12-29 (value N) and
    -- 2025-12-30 (value 100 + N). Legacy data ends at 2025-12-31 00:00 (the 24시 of 12-30).
    insert into nambu_generation (datetime, gencd, plant_name, hogi, generation)
    select d::date + n * interval '1 hour', '997S', '신인천전망대태양광', 1, case when d::date = '2025-12-29' then n else 100 + n end
    from generate_series('2025-12-29'::date, '2025-12-30'::date, '1 day') d, generate_series(1, 24) n order by d, n;
    -- Daily collector from 2026-01-01 (interval start): value 200 + hour; 2026-01-02 13:00 never arrived.
    insert into nambu_generation (datetime, gencd, plant_name, hogi, generation)
    select d::date + h * interval '1 hour', '997S', '한국남부발전(주)_신인천전망대 태양광발전실적', 1, 200 + h
    from generate_series('2026-01-01'::date, '2026-01-02'::date, '1 day') d, generate_series(0, 23) h
    where not (d::date = '2026-01-02' and h = 13) order by d, h;
    -- The same hour written again later (no unique key): the later id wins.
    insert into nambu_generation (datetime, gencd, plant_name, hogi, generation) values ('2026-01-02 05:00', '997S', 'x', 1, 999.5);
    -- A unit without coordinates in the reference list, named as the spec file names it.
    insert into nambu_generation (datetime, gencd, plant_name, hogi, generation) values ('2024-05-01 13:00', '5707', '화촌주민참여형태양광', 1, 3.25);
    insert into nambu_plants (plant_name, latitude, longitude) values ('화촌주민참여형태양광', 37.75, 127.875), ('어디에도없는태양광', 35, 128);

    -- Namdong: a complete month of 여수태양광 in the historical midnight format (hour only in hour).
    insert into namdong_generation (datetime, plant_name, hour, generation)
    select d, '여수태양광', h, h from generate_series('2022-02-01'::timestamp, '2022-02-28', '1 day') d, generate_series(1, 24) h order by d, h;
    -- 영흥태양광_1: a midnight-format day and a live-format day (datetime = day + (hour − 1) h) ...
    insert into namdong_generation (datetime, plant_name, hour, generation)
    select '2022-03-01', '영흥태양광_1', h, h * 2 from generate_series(1, 24) h;
    insert into namdong_generation (datetime, plant_name, hour, generation)
    select '2025-12-01'::timestamp + (h - 1) * interval '1 hour', '영흥태양광_1', h, 50 + h from generate_series(1, 24) h;
    -- ... and the same hour again as a later midnight row (the reconstruction makes it a duplicate).
    insert into namdong_generation (datetime, plant_name, hour, generation) values ('2025-12-01 00:00', '영흥태양광_1', 5, 77);
    -- A bare name of a plant with two units: which unit is unknowable (pitfall 14).
    insert into namdong_generation (datetime, plant_name, hour, generation)
    select '2022-03-02', '영흥태양광', h, 1 from generate_series(1, 24) h;
    -- A legacy name with the source's inner space.
    insert into namdong_generation (datetime, plant_name, hour, generation)
    select '2025-12-02'::timestamp + (h - 1) * interval '1 hour', '영흥태양광 #3_2', h, 7 from generate_series(1, 3) h;

    -- Weather: 서울 on 2025-07-01, every hour; a station name ASOS does not have.
    insert into weather_asos (timestamp, station_name, temperature, humidity, solar_radiation)
    select '2025-07-01'::timestamp + h * interval '1 hour', '서울', h, 50, case when h between 6 and 20 then 1.5 end from generate_series(0, 23) h;
    insert into weather_asos (timestamp, station_name, temperature, humidity) values ('2025-07-01 00:00', '없는곳', 1, 1);
  `);
}

const BOM = "\uFEFF";
const labels = Array.from({ length: 24 }, (_, i) => i + 1);

function buildArchive(dir: string): void {
  mkdirSync(join(dir, "pv_data_raw"));
  mkdirSync(join(dir, "pv_data_processed"));
  mkdirSync(join(dir, "data"));
  // Raw bulk items (the API's own tags): 2025-12-28 = 1.5 × label with label 13 missing, 2025-12-29 = 2 × label.
  const hourCols = labels.map((n) => `qhorgen${String(n).padStart(2, "0")}`);
  const bulk = [
    ["ymd", "gencd", "hogi", "ipptnm", ...hourCols, "qvodgen", "qvodavg", "qvodmax", "qvodmin"].join(","),
    ["20251228", "997S", "1", "한국남부발전(주)_신인천전망대 태양광발전실적", ...labels.map((n) => (n === 13 ? "" : String(n * 1.5))), "400", "16", "36", "0"].join(","),
    ["2025-12-29", "997S", "1", "한국남부발전(주)_신인천전망대 태양광발전실적", ...labels.map((n) => String(n * 2)), "600", "25", "48", "0"].join(","),
  ];
  writeFileSync(join(dir, "pv_data_raw", "nambu_bulk_997S_1.csv"), BOM + bulk.join("\n") + "\n");
  // The legacy merge's long rows: timestamp = ymd + N h. 2025-12-27 = label + 0.5; one 2025-12-28 row (999) duplicates the bulk.
  const processed = ["ymd,gencd,hogi,ipptnm,발전소명,qvodgen,timestamp,generation"];
  for (const n of labels) {
    const ts = n === 24 ? "2025-12-28 00:00:00" : `2025-12-27 ${String(n).padStart(2, "0")}:00:00`;
    processed.push(`2025-12-27,997S,1,,신인천전망대태양광,300,${ts},${n + 0.5}`);
  }
  processed.push("2025-12-28,997S,1,,신인천전망대태양광,300,2025-12-28 01:00:00,999");
  writeFileSync(join(dir, "pv_data_processed", "nambu_processed_997S_1.csv"), BOM + processed.join("\n") + "\n");
  // KOEN download (CP949, a space after each comma): 영흥태양광 units 1 and 2 on 2022-03-01.
  const header = ["발전구분", "호기", "일자", ...labels.map((n) => `${n}시 발전량(KWh)`), "총량(KW)", "평균(KW)", "최대(시간별)", "최소(시간별)"];
  const koenLines = [header, ["영흥태양광", "1", "2022-03-01", ...labels.map((n) => String(n * 3)), "900", "37.5", "72", "3"],
    ["영흥태양광", "2", "2022-03-01", ...labels.map((n) => String(n * 4)), "1200", "50", "96", "4"]].map((r) => r.join(", ")).join("\r\n") + "\r\n";
  writeFileSync(join(dir, "pv_data_raw", "south_pv_전체_20220301-20220331.csv"), iconv.encode(koenLines, "cp949"));
  // The same kind of file stored as UTF-8 (mojibake once read as CP949): rejected whole (pitfall 13).
  writeFileSync(join(dir, "pv_data_raw", "south_pv_전체_20220401-20220430.csv"), Buffer.from(koenLines.replaceAll("2022-03-01", "2022-04-01"), "utf8"));
  // Weather (UTF-8 with BOM): a period file and the cumulative merge that overlaps it.
  const asos = ["date,humidity,temperature,station_name,solar radiation"];
  for (let h = 0; h < 24; h++) asos.push(`2025-07-02 ${String(h).padStart(2, "0")}:00,60,${h + 0.5},서울,${h >= 6 && h <= 20 ? "2.25" : ""}`);
  writeFileSync(join(dir, "data", "asos_20250702_20250702.csv"), BOM + asos.join("\n") + "\n");
  writeFileSync(join(dir, "data", "asos_all_merged.csv"), BOM + ["date,humidity,temperature,station_name,solar radiation",
    "2025-07-02 00:00:00,61,99,서울,", "2025-07-03 00:00:00,70,3,서울,"].join("\n") + "\n");
}

beforeAll(async () => {
  [target, target2, legacy] = await Promise.all([createTestDb(), createTestDb(), createTestDb({ migrate: false })]);
  await buildLegacyDb(legacy.sql);
  archive = mkdtempSync(join(tmpdir(), "pvpipe-legacy-"));
  buildArchive(archive);
  env = cliEnv({ DATABASE_URL: pgUrl(target.resource) });
  // A newer fetch already served 2026-01-01 of 997S-1 (10:00 differs from the legacy value 210).
  await startRun(target.sql, { runId: "fetch-run", flow: "backfill", engine: "local", inputs: {} });
  await target.sql`
    insert into nambu_generation (datetime, gencd, hogi, plant_name, generation, generation_filled, fill_method, run_id)
    select '2026-01-01 00:00+09'::timestamptz + h * interval '1 hour', '997S', 1, 'fetched', case when h = 10 then 555 else 200 + h end,
           case when h = 10 then 555 else 200 + h end, 'measured', 'fetch-run'
    from generate_series(0, 23) h`;
  await recordMaterializations(target.sql, "fetch-run", [
    { asset: kospoHourly.key, partition: "2026-01-01|997S-1", status: "success", rowCount: 24, dataVersion: "v", codeVersion: kospoHourly.codeVersion },
  ]);
});

afterAll(async () => {
  if (archive) rmSync(archive, { recursive: true, force: true });
  await Promise.all([target?.drop(), target2?.drop(), legacy?.drop()]);
});

describe("pvpipe import-legacy: bad input", () => {
  it("needs exactly one of --from-db / --from-dir, an existing directory and a reachable database; exit 2, one line, nothing written", async () => {
    const cases: [string[], RegExp][] = [
      [[], /--from-db: give the earlier pipeline's database/],
      [["--from-db", legacyUrl(), "--from-dir", archive], /--from-dir: give either --from-db or --from-dir, not both/],
      [["--from-dir", join(archive, "nope")], /--from-dir: .*nope does not exist/],
      [["--from-db", "postgres://pv:s3cret-pw@127.0.0.1:1/pv"], /--from-db: cannot connect to postgres:\/\/pv:\*\*\*@127\.0\.0\.1:1\/pv/],
      [["--from-dir", archive, "--prefer", "old"], /--prefer: must be new/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(["import-legacy", ...args], env)));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stderr + r.stdout).not.toContain("s3cret-pw");
    });
    const [{ n }] = await target.sql`select count(*)::int as n from ops.runs where flow = 'import_legacy'`;
    expect(n).toBe(0);
  });
});

describe("pvpipe import-legacy --from-db", () => {
  it("--dry-run reports rows read, shifted, duplicates, gaps and conflicts per table and unit, and writes nothing", async () => {
    const r = await runCli(["import-legacy", "--from-db", legacyUrl(), "--dry-run", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ImportResult;
    expect(rep.source).toMatch(/^database postgres:\/\/[^:]+(:\*\*\*)?@/);
    expect(rep.source).not.toContain(legacyPassword());
    expect(rep.sources).toEqual(expect.arrayContaining(["nambu_generation: 97 rows read", "namdong_generation: 748 rows read",
      "weather_asos: 25 rows read", "namdong_plants: absent, skipped", "nambu_plants: 2 rows read, 1 placed on units"]));
    // 997S-1: 48 legacy-merge rows (all shifted) + 47 live rows + 1 duplicate; holes 2025-12-31 (24 h) and 2026-01-02 13:00.
    expect(unit(rep, "nambu_generation", "997S-1")).toMatchObject({
      read: 96, shifted: 48, duplicates: 1, rows: 95, first: "2025-12-29 00:00", last: "2026-01-02 23:00", gap_hours: 25,
      gaps: ["2025-12-31 00:00..2025-12-31 23:00 (24 h)", "2026-01-02 13:00..2026-01-02 13:00 (1 h)"],
      conflicts: 1, identical: 23, fills: 0, complete: 3, incomplete: 1, fetched: 1,
    });
    expect(unit(rep, "namdong_generation", "여수태양광 호기 1")).toMatchObject({ read: 672, shifted: 28 * 23, duplicates: 0, rows: 672, gap_hours: 0, complete: 1, incomplete: 0 });
    expect(unit(rep, "namdong_generation", "영흥태양광 호기 1")).toMatchObject({ read: 49, shifted: 24, duplicates: 1, rows: 48, complete: 0, incomplete: 2 });
    expect(unit(rep, "namdong_generation", "영흥태양광 #3 호기 2")).toMatchObject({ read: 3, rows: 3 });
    expect(unit(rep, "weather_asos", "108")).toMatchObject({ read: 24, rows: 24, complete: 1 });
    expect(rep.not_imported).toEqual(expect.arrayContaining([
      expect.objectContaining({ table: "namdong_generation", unit: "영흥태양광", rows: 24, reason: expect.stringMatching(/units 1, 2/) }),
      expect.objectContaining({ table: "weather_asos", unit: "없는곳", rows: 1 }),
      expect.objectContaining({ table: "nambu_plants", unit: "어디에도없는태양광" }),
    ]));
    const [w] = await target.sql`
      select (select count(*) from namdong_generation)::int as namdong, (select count(*) from weather_asos)::int as weather,
             (select count(*) from nambu_generation)::int as nambu, (select count(*) from ops.runs where flow = 'import_legacy')::int as runs,
             (select count(*) from stage.legacy_kospo)::int + (select count(*) from stage.legacy_koen)::int as staged`;
    expect(w).toEqual({ namdong: 0, weather: 0, nambu: 24, runs: 0, staged: 0 });
    // The text form names the holes.
    const text = await runCli(["import-legacy", "--from-db", legacyUrl(), "--dry-run"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/dry run, nothing written/);
    expect(text.stdout).toMatch(/nambu_generation\s+997S-1\s+96\s+48\s+1\s+95\s+25\s+1\s+23/);
    expect(text.stdout).toMatch(/gap 2025-12-31 00:00\.\.2025-12-31 23:00 \(24 h\)/);
  });

  it("imports corrected rows through ingest + impute, records legacy materializations, keeps the newer fetch", async () => {
    const r = await runCli(["import-legacy", "--from-db", legacyUrl(), "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ImportResult;
    expect(rep.tables.find((t) => t.table === "nambu_generation")).toMatchObject({ recorded: 2 }); // 12-29, 12-30 (01-01 was fetched)

    // The one-hour shift boundary: legacy label N of 12-29/12-30 at (N − 1):00; the 12-30 24시 at 23:00; 12-31 a hole; 2026 unchanged.
    const d29 = await servedKospo(target.sql, "2025-12-29");
    expect(Object.keys(d29)).toHaveLength(24);
    expect([d29["00"], d29["12"], d29["23"]]).toEqual([1, 13, 24]);
    const d30 = await servedKospo(target.sql, "2025-12-30");
    expect([d30["00"], d30["23"]]).toEqual([101, 124]);
    expect(await servedKospo(target.sql, "2025-12-31")).toEqual({});
    const d01 = await servedKospo(target.sql, "2026-01-01");
    expect([d01["00"], d01["09"], d01["10"], d01["23"]]).toEqual([200, 209, 555, 223]); // 10:00: the newer fetch wins
    const d02 = await servedKospo(target.sql, "2026-01-02");
    expect([d02["00"], d02["05"], d02["13"], d02["23"]]).toEqual([200, 999.5, undefined, 223]);
    const [name] = await target.sql`select distinct plant_name from nambu_generation where gencd = '997S' and (datetime at time zone 'Asia/Seoul')::date = '2025-12-29'`;
    expect(name.plant_name).toBe("한국남부발전(주)_신인천전망대 태양광발전실적"); // the code table's name, not the spec-file name

    // Namdong: date_trunc('day', datetime) + (hour − 1) h, later id wins, identity (발전구분, 호기).
    const nd = await target.sql<{ plant_name: string; hogi: number; t: string; hour: number; generation: number }[]>`
      select plant_name, hogi, to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as t, hour, generation
      from namdong_generation
      where (plant_name, hogi) in (('영흥태양광', 1), ('영흥태양광 #3', 2)) and to_char(datetime at time zone 'Asia/Seoul', 'HH24') in ('00', '04', '12', '23', '01')
      order by 1, 2, 3`;
    expect(nd.map((x) => `${x.plant_name}#${x.hogi} ${x.t} h${x.hour} ${x.generation}`).sort()).toEqual([
      "영흥태양광 #3#2 2025-12-02 00:00 h1 7",
      "영흥태양광 #3#2 2025-12-02 01:00 h2 7",
      "영흥태양광#1 2022-03-01 00:00 h1 2",
      "영흥태양광#1 2022-03-01 01:00 h2 4",
      "영흥태양광#1 2022-03-01 04:00 h5 10",
      "영흥태양광#1 2022-03-01 12:00 h13 26",
      "영흥태양광#1 2022-03-01 23:00 h24 48",
      "영흥태양광#1 2025-12-01 00:00 h1 51",
      "영흥태양광#1 2025-12-01 01:00 h2 52",
      "영흥태양광#1 2025-12-01 04:00 h5 77",
      "영흥태양광#1 2025-12-01 12:00 h13 63",
      "영흥태양광#1 2025-12-01 23:00 h24 74",
    ]);
    const [{ n: bare }] = await target.sql`select count(*)::int as n from namdong_generation where (datetime at time zone 'Asia/Seoul')::date = '2022-03-02'`;
    expect(bare).toBe(0);
    const [{ n: yeosu }] = await target.sql`select count(*)::int as n from namdong_generation where plant_name = '여수태양광'`;
    expect(yeosu).toBe(672);

    // Weather at tm; icsr NULL at night.
    const wx = await target.sql`select to_char(datetime at time zone 'Asia/Seoul', 'HH24') as h, ta, hm, icsr from weather_asos where stn_id = 108 order by datetime`;
    expect(wx).toHaveLength(24);
    expect(wx[12]).toEqual({ h: "12", ta: 12, hm: 50, icsr: 1.5 });
    expect(wx[2].icsr).toBeNull();

    // Materializations: source legacy for what legacy covers completely; the fetched day keeps its own.
    const ap = await target.sql<{ asset: string; partition: string; source: string; status: string }[]>`
      select asset, partition, source, status from ops.asset_partitions order by asset, partition`;
    expect(ap.map((a) => `${a.asset} ${a.partition} ${a.status} ${a.source}`)).toEqual([
      "asos/hourly 2025-07-01|108 success legacy",
      "koen/hourly 2022-02-01 success legacy",
      "kospo/hourly 2025-12-29|997S-1 success legacy",
      "kospo/hourly 2025-12-30|997S-1 success legacy",
      "kospo/hourly 2026-01-01|997S-1 success fetch",
    ]);
    const [m] = await target.sql`select count(*) filter (where source = 'legacy')::int as legacy, count(*) filter (where source = 'fetch')::int as fetch from ops.materializations`;
    expect(m).toEqual({ legacy: 4, fetch: 1 });
    // Later backfills fetch only what is missing: the hole and the incomplete day.
    const chunks = await planChunks(target.sql, { asset: kospoHourly, start: "2025-12-29", end: "2026-01-02", dims: [{ key: "997S-1" }], policy: "missing" });
    expect(chunks.map((c) => `${c.start}..${c.end}`)).toEqual(["2025-12-31..2025-12-31", "2026-01-02..2026-01-02"]);
    const st = await runCli(["status", "--asset", "kospo/hourly", "--start", "2025-12-29", "--end", "2026-01-02", "--json"], env);
    expect(JSON.parse(st.stdout).assets[0].counts.materialized).toBe(3);
    // Stage rows cleared; the run recorded without the legacy password.
    const [{ n: left }] = await target.sql`select (select count(*) from stage.legacy_kospo) + (select count(*) from stage.legacy_koen) + (select count(*) from stage.legacy_asos) + (select count(*) from stage.kospo_hourly) as n`;
    expect(Number(left)).toBe(0);
    const [run] = await target.sql`select status, inputs from ops.runs where flow = 'import_legacy'`;
    expect(run.status).toBe("success");
    expect(JSON.stringify(run.inputs)).not.toContain(legacyPassword());
  });

  it("--prefer legacy replaces the conflicting value and records the day as legacy; a re-run changes nothing else", async () => {
    const r = await importLegacy(target.sql, { legacyDb: legacy.sql, dir: null, describeSource: "test", dryRun: false, prefer: "legacy" });
    const k = r.tables.find((t) => t.table === "nambu_generation")!;
    expect(k).toMatchObject({ updated: 1, inserted: 0 });
    expect(r.tables.find((t) => t.table === "namdong_generation")).toMatchObject({ inserted: 0, updated: 0 });
    const d01 = await servedKospo(target.sql, "2026-01-01");
    expect(d01["10"]).toBe(210);
    const [ap] = await target.sql`select source from ops.asset_partitions where asset = 'kospo/hourly' and partition = '2026-01-01|997S-1'`;
    expect(ap.source).toBe("legacy");
    // A later fetch of the partition makes it a fetched one again.
    await recordMaterializations(target.sql, "fetch-run", [
      { asset: kospoHourly.key, partition: "2026-01-01|997S-1", status: "success", rowCount: 24, dataVersion: "w", codeVersion: kospoHourly.codeVersion },
    ]);
    const [again] = await target.sql`select source from ops.asset_partitions where asset = 'kospo/hourly' and partition = '2026-01-01|997S-1'`;
    expect(again.source).toBe("fetch");
  });
});

describe("pvpipe import-legacy --from-dir", () => {
  let rep: ImportResult;
  beforeAll(async () => {
    rep = await importLegacy(target2.sql, { legacyDb: null, dir: archive, describeSource: "test", dryRun: false, prefer: "new" });
  });

  it("merges raw bulk rows with today's hour convention, shifts processed rows, bulk wins duplicates", async () => {
    expect(unit(rep, "nambu_generation", "997S-1")).toMatchObject({ read: 24 + 24 + 24 + 1, shifted: 25, duplicates: 1, rows: 72, complete: 3, incomplete: 0 });
    const d27 = await servedKospo(target2.sql, "2025-12-27");
    expect([d27["00"], d27["23"]]).toEqual([1.5, 24.5]);
    const d28 = await servedKospo(target2.sql, "2025-12-28");
    expect([d28["00"], d28["11"], d28["12"], d28["23"]]).toEqual([1.5, 18, null, 36]);
    const d29 = await servedKospo(target2.sql, "2025-12-29");
    expect([d29["00"], d29["23"]]).toEqual([2, 48]);
    // The missing label stays NULL (never 0); impute fills only the gap-free column, with its method.
    const [gap] = await target2.sql`select generation, generation_filled, fill_method from nambu_generation where gencd = '997S' and datetime = '2025-12-28 12:00+09'`;
    expect(gap.generation).toBeNull();
    expect(gap.fill_method).not.toBe("measured");
    const [daily] = await target2.sql`select daily_total from nambu_generation where gencd = '997S' and datetime = '2025-12-29 05:00+09'`;
    expect(daily.daily_total).toBe(600);
  });

  it("reads KOEN CP949 downloads with their 호기 and rejects a mojibake file whole", async () => {
    const nd = await target2.sql`select hogi, generation, daily_total from namdong_generation where plant_name = '영흥태양광' and datetime = '2022-03-01 12:00+09' order by hogi`;
    expect(nd).toEqual([{ hogi: 1, generation: 39, daily_total: 900 }, { hogi: 2, generation: 52, daily_total: 1200 }]);
    expect(rep.not_imported).toEqual([expect.objectContaining({ table: "south_pv_전체_20220401-20220430.csv", unit: "(whole file)" })]);
    const [{ n }] = await target2.sql`select count(*)::int as n from namdong_generation where datetime >= '2022-04-01+09'`;
    expect(n).toBe(0);
  });

  it("reads weather CSVs with a BOM; the period file wins over the merged file", async () => {
    const wx = await target2.sql`select to_char(datetime at time zone 'Asia/Seoul', 'MM-DD HH24') as t, ta, hm, icsr from weather_asos where stn_id = 108 order by datetime`;
    expect(wx).toHaveLength(25);
    expect(wx[0]).toEqual({ t: "07-02 00", ta: 0.5, hm: 60, icsr: null });
    expect(wx[12]).toEqual({ t: "07-02 12", ta: 12.5, hm: 60, icsr: 2.25 });
    expect(wx[24]).toEqual({ t: "07-03 00", ta: 3, hm: 70, icsr: null });
    expect(unit(rep, "weather_asos", "108")).toMatchObject({ read: 26, duplicates: 1, rows: 25, complete: 1, incomplete: 1 });
    const chunks = await planChunks(target2.sql, { asset: kospoHourly, start: "2025-12-27", end: "2025-12-30", dims: [{ key: "997S-1" }], policy: "missing" });
    expect(chunks.map((c) => `${c.start}..${c.end}`)).toEqual(["2025-12-30..2025-12-30"]);
  });
});
