// pvpipe with --source asos, as a person runs it: ASOS_API_KEY + ASOS_API_URL, --station, status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayKst } from "../../f/lib/time/kst.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { DEFAULT_ASOS_SIM_KEY, startAsosSim, type AsosSim } from "../../src/simulators/asos.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
let asos: AsosSim;
let kospo: KospoSim;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDb();
  asos = await startAsosSim({});
  kospo = await startKospoSim({});
  env = cliEnv({
    DATABASE_URL: pgUrl(db.resource),
    ASOS_API_KEY: encodeURIComponent(DEFAULT_ASOS_SIM_KEY), // the Encoding form works as well
    ASOS_API_URL: asos.url,
    NAMBU_API_KEY: DEFAULT_SIM_KEY,
    KOSPO_API_URL: kospo.url,
  });
});
afterAll(async () => {
  await asos?.close();
  await kospo?.close();
  await db?.drop();
});

describe("pvpipe --source asos", () => {
  it.each([
    [["--station", "999"], /--station: unknown ASOS station 999/],
    [["--station", "108", "--station", "x"], /--station: must be an ASOS station id/],
    [["--end", todayKst()], /later than yesterday/],
  ])("rejects %j with exit 2 before anything is written", async (extra, msg) => {
    const args = ["backfill", "--source", "asos", "--start", "2024-06-01", "--end", "2024-06-02", ...(extra as string[])];
    // later flags win with commander, so --end given twice takes the second
    const r = await runCli(args, env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(msg as RegExp);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const [{ n }] = await db.sql`select count(*)::int as n from ops.runs`;
    expect(n).toBe(0);
    expect(asos.requests).toBe(0);
  });

  it("backfills the given stations through ASOS_API_URL and prints one JSON summary without the key", async () => {
    const r = await runCli(["backfill", "--source", "asos", "--start", "2024-06-01", "--end", "2024-06-03", "--station", "108", "--station", "255", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.report.status).toBe("success");
    expect(summary.report.assets.find((a: { asset: string }) => a.asset === "asos/hourly")).toMatchObject({ success: 6, failed: 0, rows: 144 });
    expect(r.stdout + r.stderr).not.toContain(DEFAULT_ASOS_SIM_KEY);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(DEFAULT_ASOS_SIM_KEY));
    expect(r.stderr).not.toMatch(/No ASOS_API_KEY set/);
    const q = await runCli(["sql", "select stn_id, count(*)::int as n from weather_asos group by 1 order by 1", "--csv"], env);
    expect(q.stdout.trim().split("\n")).toEqual(["stn_id,n", "108,72", "255,72"]);
  }, 180_000);

  it("plan --source asos shows the station chunks; status lists the weather assets", async () => {
    const p = await runCli(["plan", "--source", "asos", "--start", "2024-06-01", "--end", "2024-06-05", "--station", "108", "--json"], env);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ asset: "asos/hourly", partitions: 2, chunks: [{ pdim: "108", start: "2024-06-04", end: "2024-06-05" }] });
    const s = await runCli(["status", "--start", "2024-06-01", "--end", "2024-06-03"], env);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/asos\/raw\s/);
    expect(s.stdout).toMatch(/asos\/hourly\s/);
    const j = JSON.parse((await runCli(["status", "--asset", "asos/hourly", "--start", "2024-06-01", "--end", "2024-06-03", "--json"], env)).stdout);
    const [{ n }] = await db.sql`select count(distinct s)::int as n from plant_station, lateral (values (stn_id), (solar_stn_id)) v(s)`;
    expect(j.assets[0].total).toBe(3 * n); // the stations matched to plants, per day
  }, 180_000);

  it("without ASOS_API_KEY the simulator is used and said so in one line", async () => {
    const noKey = { ...env };
    delete noKey.ASOS_API_KEY;
    delete noKey.ASOS_API_URL;
    const r = await runCli(["backfill", "--source", "asos", "--start", "2024-06-04", "--end", "2024-06-04", "--station", "108"], noKey);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split("\n").filter((l) => /No ASOS_API_KEY set: .*SYNTHETIC/.test(l))).toHaveLength(1);
    const keyOnlyUrl = await runCli(["backfill", "--source", "asos", "--start", "2024-06-04", "--end", "2024-06-04"], { ...noKey, ASOS_API_URL: asos.url });
    expect(keyOnlyUrl.code).toBe(2);
    expect(keyOnlyUrl.stderr).toMatch(/ASOS_API_URL is set but ASOS_API_KEY/);
  }, 180_000);
});
