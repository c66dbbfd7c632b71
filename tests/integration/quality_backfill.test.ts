// The quality steps inside the real flows, against the KOSPO simulator: the injected broken plant
// (997S-1, the whole day in the label-16 cell) is flagged by one_cell_day while a normal unit passes
// every check; `pvpipe status`, `pvpipe checks` and `pvpipe check` name it; a blocking failure makes
// impute skip (and report) the partition; a re-run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { dailyNambu } from "../../flows/daily_nambu.ts";
import { runFlow } from "../../src/flow/engine.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { BROKEN_UNIT, DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
let sim: KospoSim;
beforeAll(async () => {
  db = await createTestDb();
  sim = await startKospoSim({});
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

const range = { start: "2024-06-01", end: "2024-06-03" };

/** The chunk's result: the ingest's counters, with impute's summary added. */
interface ChunkResult {
  inserted: number;
  updated: number;
  impute: { asset: string; updated: number; inserted: number; skipped: { partition: string; reason: string }[]; methods: Record<string, number> };
}

describe("asset checks in the backfill flow", { timeout: 300_000 }, () => {
  it("flags the simulator's broken plant (one_cell_day, every day) and passes a normal unit on every check", async () => {
    expect(`${BROKEN_UNIT.gencd}-${BROKEN_UNIT.hogi}`).toBe("997S-1");
    for (const plant of ["997S", "9985"]) {
      const r = await runFlow(backfill, { source: "kospo", ...range, plant }, engineFor(db, sim.url));
      expect(r.status).toBe("success");
      // The last step of each chunk is impute; it ran on the loaded partitions (nothing to fill: the simulator has no gaps).
      const chunks = r.results.chunks as ChunkResult[];
      expect(chunks.map((c) => [c.inserted, c.impute.asset, c.impute.updated])).toEqual([[72, "kospo/hourly", 0]]);
    }
    const failing = await db.sql<{ check_name: string; unit: string; n: number }[]>`
      select check_name, unit, count(*)::int as n from ops.check_results where not passed group by 1, 2 order by 1, 2`;
    expect(failing).toEqual([{ check_name: "one_cell_day", unit: "997S-1", n: 3 }]);
    const [broken] = await db.sql<{ severity: string; value: number; message: string; partition: string }[]>`
      select severity, value, message, partition from ops.check_results where check_name = 'one_cell_day' and not passed order by partition limit 1`;
    expect(broken.partition).toBe("2024-06-01|997S-1");
    expect(broken.severity).toBe("error");
    expect(broken.value).toBeCloseTo(1, 6);
    expect(broken.message).toMatch(/100% of the day's [\d.]+ kWh in one hour \(15:00–16:00, label 16\)/);
    // The normal unit: every declared check judged every day, and passed (one evaluation per partition and check).
    const normal = await db.sql<{ check_name: string; n: number; passed: number }[]>`
      select check_name, sum(subjects)::int as n, sum(passed)::int as passed
      from ops.check_evaluations where partition like '%|9985-1' group by 1 order by 1`;
    expect(normal.map((c) => c.check_name)).toEqual([
      "completeness", "daily_total", "impossible_values", "night_generation", "one_cell_day", "repeated_daily_total", "stuck_values", "zero_day",
    ]);
    for (const c of normal) expect(c, c.check_name).toEqual({ check_name: c.check_name, n: 3, passed: 3 });
    const [{ stored }] = await db.sql<{ stored: number }[]>`select count(*)::int as stored from ops.check_results where unit = '9985-1'`;
    expect(stored, "passing plant-days are counted, not stored").toBe(0);
  });

  it("pvpipe status names the broken plant; pvpipe checks lists it; pvpipe check exits 1 on it", async () => {
    const env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url });
    const status = await runCli(["status", "--start", range.start, "--end", range.end], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/kospo\/hourly .*\n\s+checks: 3 failing \(one_cell_day 997S-1 ×3\) — 3 error, 0 warn/);
    const json = JSON.parse((await runCli(["status", "--start", range.start, "--end", range.end, "--json"], env)).stdout);
    const hourly = json.assets.find((a: { asset: string }) => a.asset === "kospo/hourly");
    expect(hourly.checks).toMatchObject({ failing: 3, errors: 3, offenders: [{ check_name: "one_cell_day", subject: "997S-1", count: 3 }] });

    const listed = await runCli(["checks", "--since", "7d"], env);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/error\s+kospo\/hourly\s+one_cell_day\s+2024-06-0[123] 997S-1\s+100% of the day/);
    // Newest first (same run: then the later day first).
    expect(lines[0]).toContain("2024-06-03 997S-1");
    // --json: every timestamp in one form, ISO 8601 in KST with its offset.
    const listedJson = JSON.parse((await runCli(["checks", "--since", "7d", "--json"], env)).stdout) as { since: string; checks: { checked_at: string }[] };
    expect(listedJson.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect(listedJson.checks).toHaveLength(3);
    for (const c of listedJson.checks) expect(c.checked_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);

    const check = await runCli(["check", "--asset", "kospo/hourly", "--start", range.start, "--end", range.end, "--unit", "997S-1"], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/kospo\/hourly 2024-06-01\.\.2024-06-03: 3 unit-days, \d+ results, 3 failing \(3 error, 0 warn\)/);
    expect(check.stdout).toMatch(/error\s+one_cell_day\s+2024-06-01 997S-1/);
    const ok = await runCli(["check", "--asset", "kospo/hourly", "--start", range.start, "--end", range.end, "--unit", "9985-1"], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/0 failing/);
    const bad = await runCli(["check", "--asset", "nope/hourly"], env);
    expect(bad.code).toBe(2);
  });

  it("re-running the backfill (policy all) rewrites nothing: ingest and impute both report zero rows written", async () => {
    const before = await db.sql`select gencd, hogi, datetime, xmin::text as x from nambu_generation order by 1, 2, 3`;
    const r = await runFlow(backfill, { source: "kospo", ...range, plant: "9985", policy: "all" }, engineFor(db, sim.url));
    expect(r.status).toBe("success");
    const chunks = r.results.chunks as ChunkResult[];
    expect(chunks.reduce((n, c) => n + c.inserted + c.updated + c.impute.inserted + c.impute.updated, 0)).toBe(0);
    const after = await db.sql`select gencd, hogi, datetime, xmin::text as x from nambu_generation order by 1, 2, 3`;
    expect(after).toEqual(before);
  });

  it("a failing blocking check (impossible_values) makes impute skip that partition and say why", async () => {
    // 9979-1 has a known capacity (995 kW); a simulator that serves it as a 100 MW plant gives impossible hours.
    const huge = await startKospoSim({ units: [{ gencd: "9979", hogi: 1, capacityKw: 100_000, firstDate: "2015-10-23", lat: 37.33354, lon: 127.4804 }] });
    try {
      const r = await runFlow(backfill, { source: "kospo", ...range, plant: "9979" }, engineFor(db, huge.url));
      expect(r.status).toBe("success");
      const [chunk] = r.results.chunks as ChunkResult[];
      expect(chunk.impute.skipped).toEqual(
        ["2024-06-01", "2024-06-02", "2024-06-03"].map((d) => ({ partition: `${d}|9979-1`, reason: "failing blocking check: impossible_values" })),
      );
      expect(chunk.impute.updated).toBe(0);
      const report = r.results.report as RunReport;
      expect(report.assets.find((a) => a.asset === "kospo/hourly")?.blocked).toBe(3);
      const [res] = await db.sql<{ blocking: boolean; message: string }[]>`
        select blocking, message from ops.check_results where unit = '9979-1' and check_name = 'impossible_values' and not passed limit 1`;
      expect(res.blocking).toBe(true);
      expect(res.message).toMatch(/^generation [\d.]+ kWh at 1\d:00 is above 1\.2 × capacity 995 kW$/);
    } finally {
      await huge.close();
    }
  });

  it("the daily flow checks freshness after loading: D-1 present for every unit", async () => {
    const r = await runFlow(dailyNambu, { lookback_days: 1 }, engineFor(db, sim.url));
    expect(r.status).toBe("success");
    const f = r.results.freshness as { mode: string; results: number; failed: number; failures: unknown[] };
    expect(f).toMatchObject({ mode: "freshness", results: 1, failed: 0 });
    const [row] = await db.sql<{ partition: string; passed: boolean; message: string }[]>`
      select partition, passed, message from ops.check_results where check_name = 'freshness' and run_id = ${r.runId}`;
    expect(row.passed).toBe(true);
    expect(row.message).toMatch(/present for all 18 units/);
  });
});
