import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, startCli } from "../helpers/cli.ts";

// `npm start` as on a fresh machine: no DATABASE_URL, no keys; an embedded PostgreSQL in its own dir.
const dataDir = mkdtempSync(join(tmpdir(), "pvpipe-start-"));
chmodSync(dataDir, 0o755);
const env = cliEnv({ PVPIPE_DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("pvpipe start", () => {
  it("--once: embedded database, simulator said aloud, 14 days of every KOSPO unit with coordinates, status", async () => {
    const r = await runCli(["start", "--once"], env, 480_000); // KOSPO, weather and KOEN catch-ups
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/No NAMBU_API_KEY set: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/database: embedded PostgreSQL \(started/);
    expect(r.stdout).toMatch(/kospo\/hourly\s+█{14}\s+materialized 252, stale 0, failed 0, missing 0 of 252/);
    expect(r.stdout).toMatch(/database URL: postgres:\/\/pvpipe:\*\*\*@127\.0\.0\.1:\d+\/pv/);
    const q = await runCli(["sql", "select count(distinct (gencd, hogi))::int as units, count(*)::int as rows from nambu_generation", "--csv"], env);
    expect(q.stdout.trim().split("\n")[1]).toBe(`18,${18 * 14 * 24}`);
    // Weather: 14 days of every station matched to a plant, said aloud as synthetic, joined to every plant.
    expect(r.stderr).toMatch(/No ASOS_API_KEY set: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/asos\/hourly\s+█{14}\s+materialized (\d+), stale 0, failed 0, missing 0 of \1/);
    const w = await runCli(["sql", `select (select count(distinct s) from plant_station, lateral (values (stn_id), (solar_stn_id)) v(s))::int as stations,
        (select count(*) from weather_asos where datetime >= (date_trunc('day', now() at time zone 'Asia/Seoul') - interval '14 days') at time zone 'Asia/Seoul'
           and datetime < date_trunc('day', now() at time zone 'Asia/Seoul') at time zone 'Asia/Seoul')::int as rows,
        (select count(*) from plant_station where operator = 'kospo')::int as mapped,
        (select count(distinct (plant_code, hogi)) from pv_weather_hourly where operator = 'kospo' and ta is not null)::int as joined`, "--csv"], env);
    const [stations, rows, mapped, joined] = w.stdout.trim().split("\n")[1].split(",").map(Number);
    expect(rows).toBe(stations * 14 * 24);
    expect(joined).toBe(mapped);
    expect(mapped).toBe(18);
  }, 600_000);

  it("keeps running with the database up for other commands, and Ctrl-C stops everything cleanly", async () => {
    const app = await startCli(["start"], env, /running; Ctrl-C stops everything cleanly/, 480_000);
    expect(app.output()).toMatch(/schedule 0 30 9 \* \* \* \(Asia\/Seoul\): next/);
    // Nothing was missing any more: the second start has no work.
    expect(app.output()).toMatch(/0 partitions in 0 chunks/);
    const q = await runCli(["sql", "select count(*)::int as n from ops.runs", "--csv"], env);
    expect(q.code).toBe(0);
    expect(Number(q.stdout.trim().split("\n")[1])).toBeGreaterThanOrEqual(2);
    app.child.kill("SIGINT");
    expect(await app.exited).toBe(0);
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  }, 600_000);
});
