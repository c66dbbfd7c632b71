// The run report is one aggregate statement over the run's materializations and check results,
// and closing a run adds one update: counted on the wire. Its check figures count plant-days: a
// KOEN month with failures on three days reports three, and a re-check later in the run replaces
// what it covered.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../../f/lib/db/resource.ts";
import { finishRunWithReport, runReport } from "../../f/lib/store/run_report.ts";
import { startRun } from "../../f/lib/store/runs.ts";
import { recordMaterializations } from "../../f/lib/store/record_materializations.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let counted: Pool;
let statements = 0;
const RUN = "report-run";

beforeAll(async () => {
  db = await createTestDb();
  const r = db.resource;
  counted = postgres({ host: r.host, port: Number(r.port), user: r.user, password: r.password, database: r.dbname, max: 1, onnotice: () => {}, debug: () => void statements++ }) as unknown as Pool;
  await startRun(db.sql, { runId: RUN, flow: "backfill", engine: "local", inputs: { source: "koen" } });
  await recordMaterializations(db.sql, RUN, [
    { asset: "koen/raw", partition: "2024-07-01", status: "success", rowCount: 23, dataVersion: "a", codeVersion: "1" },
    { asset: "koen/hourly", partition: "2024-07-01", status: "success", rowCount: 744, dataVersion: "b", codeVersion: "1" },
    { asset: "koen/hourly", partition: "2024-08-01", status: "failed", rowCount: 0, dataVersion: null, codeVersion: "1", error: "BadPayload: x" },
  ]);
  // One evaluation of completeness for July (3 failing plant-days) and one of impossible_values
  // (blocking) with one failure; then a re-check of one unit that fixes one of its two days.
  const ev = async (check: string, severity: string, blocking: boolean, units: string[] | null, fails: { day: string; unit: string }[]) => {
    const [{ id }] = await db.sql<{ id: string }[]>`
      insert into ops.check_evaluations (asset, partition, check_name, severity, blocking, units, subjects, passed, day_from, day_to, run_id)
      values ('koen/hourly', '2024-07-01', ${check}, ${severity}, ${blocking}, ${units}, 93, ${93 - fails.length}, '2024-07-01', '2024-07-31', ${RUN})
      returning id`;
    for (const f of fails) {
      await db.sql`
        insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, value, message, run_id, day, unit, evaluation_id)
        values ('koen/hourly', '2024-07-01', ${check}, false, ${severity}, ${blocking}, 21, ${`${check} on ${f.day}`}, ${RUN}, ${f.day}, ${f.unit}, ${id})`;
    }
  };
  await ev("completeness", "warn", false, null, [
    { day: "2024-07-08", unit: "A-1" },
    { day: "2024-07-16", unit: "A-1" },
    { day: "2024-07-08", unit: "B-1" },
  ]);
  await ev("impossible_values", "error", true, null, [{ day: "2024-07-20", unit: "B-1" }]);
  await ev("completeness", "warn", false, ["A-1"], [{ day: "2024-07-08", unit: "A-1" }]);
});

afterAll(async () => {
  await counted?.end({ timeout: 5 });
  await db?.drop();
});

describe("run report", () => {
  it("is one statement, and counts every failing plant-day the run left current", async () => {
    await counted`select 1`; // the connection's own setup (type lookups) is not the report's
    statements = 0;
    const r = await runReport(counted, RUN);
    expect(statements).toBe(1);
    expect(r.assets).toEqual([
      { asset: "koen/hourly", success: 1, empty: 0, failed: 1, rows: 744, blocked: 1 },
      { asset: "koen/raw", success: 1, empty: 0, failed: 0, rows: 23, blocked: 0 },
    ]);
    expect(r.failures).toEqual([{ asset: "koen/hourly", partition: "2024-08-01", error: "BadPayload: x" }]);
    expect([r.failed_total, r.failed_partitions, r.flow, r.status]).toEqual([1, 1, "backfill", "running"]);
    // A-1 on 07-16 was replaced by the re-check of A-1 (which still fails on 07-08); B-1 stays.
    expect(r.checks.failed).toBe(3);
    expect(r.checks.top.map((c) => [c.check_name, c.day, c.unit, c.blocking])).toEqual([
      ["impossible_values", "2024-07-20", "B-1", true],
      ["completeness", "2024-07-08", "A-1", false],
      ["completeness", "2024-07-08", "B-1", false],
    ]);
  });

  it("closing a run: the report once, then one update with the status it implies", async () => {
    statements = 0;
    const r = await finishRunWithReport(counted, RUN);
    expect(statements).toBe(2);
    expect(r.status).toBe("partial");
    expect(r.finished_at).not.toBeNull();
    const [row] = await db.sql<{ status: string; summary: { failed: number } }[]>`select status, summary from ops.runs where run_id = ${RUN}`;
    expect(row).toMatchObject({ status: "partial", summary: { failed: 1 } });
  });
});
