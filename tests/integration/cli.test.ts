import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { yesterdayKst } from "../../f/lib/time/kst.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
let sim: KospoSim;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDb();
  sim = await startKospoSim({ htmlFor: (q) => q.gencd === "9988" && q.start <= "2024-03-02" && q.end >= "2024-03-02" });
  // A real key variable and URL pointing at a server that speaks the documented format.
  env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

describe("pvpipe CLI", () => {
  it.each([
    [["backfill", "--source", "kospo", "--start", "2024-02-30", "--end", "2024-03-01"], /--start: not a real calendar date/],
    [["backfill", "--source", "kospo", "--start", "2024-03-05", "--end", "2024-03-01"], /start 2024-03-05 is after end 2024-03-01/],
    [["backfill", "--source", "nope", "--start", "2024-03-01", "--end", "2024-03-01"], /--source/],
    [["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2024-03-01", "--gencd", "997S'; drop table nambu_generation; --"], /unknown KOSPO plant code/],
    [["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2024-03-01", "--gencd", "997S", "--hogi", "9"], /has no unit 9/],
    [["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2099-01-01"], /later than yesterday/],
    [["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2024-03-01", "--policy", "everything"], /--policy: policy must be one of/],
    [["status", "--start", "yesterday"], /--start|date/],
  ])("rejects %j with exit 2, one line, nothing written", async (args, message) => {
    const r = await runCli(args as string[], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const [{ n }] = await db.sql`select count(*)::int as n from ops.runs`;
    expect(n).toBe(0);
  });

  it("backfills through KOSPO_API_URL with the key given in the environment, and prints one JSON summary", async () => {
    const r = await runCli(["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2024-03-03", "--gencd", "997N", "--json"], env);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.report.status).toBe("success");
    expect(summary.report.assets.find((a: { asset: string }) => a.asset === "kospo/hourly")).toMatchObject({ success: 3, rows: 72 });
    expect(r.stdout + r.stderr).not.toContain(DEFAULT_SIM_KEY);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(DEFAULT_SIM_KEY));
  });

  it("exits 1 when some partitions failed, naming them and how to resume", async () => {
    const r = await runCli(["backfill", "--source", "kospo", "--start", "2024-03-01", "--end", "2024-03-03", "--gencd", "9988"], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed kospo\/hourly 2024-03-02\|9988-1: SourceReturnedHtml/);
    expect(r.stdout).toContain("resume with: pvpipe backfill --source kospo --start 2024-03-01 --end 2024-03-03 --gencd 9988 --policy missing+failed");
  });

  it("status shows the assets with counts and a health bar; --json is machine-readable", async () => {
    const r = await runCli(["status", "--start", "2024-03-01", "--end", "2024-03-03", "--json"], env);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const hourly = s.assets.find((a: { asset: string }) => a.asset === "kospo/hourly");
    expect(hourly.counts.materialized).toBe(5);
    expect(hourly.counts.failed).toBe(1);
    const text = await runCli(["status", "--start", "2024-03-01", "--end", "2024-03-03"], env);
    // One mark per day, the worst unit of that day: the other units were never loaded here.
    expect(text.stdout).toMatch(/kospo\/hourly\s+·✗·  materialized 5/);
  });

  it("sql --csv prints a header then rows; db-url hides the password unless asked", async () => {
    const r = await runCli(["sql", "select gencd, hogi, count(*)::int as n from nambu_generation where gencd = '997N' group by 1, 2", "--csv"], env);
    expect(r.stdout.trim().split("\n")).toEqual(["gencd,hogi,n", "997N,1,72"]);
    const hidden = await runCli(["db-url"], env);
    expect(hidden.stdout).toContain(":***@");
    expect(hidden.stdout).not.toContain(db.resource.password);
    const shown = await runCli(["db-url", "--show-secrets"], env);
    expect(shown.stdout).toContain(db.resource.password);
  });

  it("names a malformed DATABASE_URL in one line", async () => {
    const r = await runCli(["status"], { ...env, DATABASE_URL: "mysql://nope" });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("pvpipe: DATABASE_URL must start with postgres:// or postgresql:// (got mysql://)");
  });

  it("plan shows the work without writing", async () => {
    const y = yesterdayKst();
    const r = await runCli(["plan", "--source", "kospo", "--start", y, "--end", y, "--gencd", "B997", "--json"], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).chunks.map((c: { pdim: string }) => c.pdim)).toEqual(["B997-1", "B997-2"]);
    const [{ n }] = await db.sql`select count(*)::int as n from ops.asset_partitions where partition like ${y + "%"}`;
    expect(n).toBe(0);
  });
});
