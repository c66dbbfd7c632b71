import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { startKospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.drop());

const day = "2024-09-10";
const input = { source: "kospo", start: day, end: day, parallelism: 1 };

describe("KOSPO quota stop and resume", () => {
  it("stops cleanly on reason 22, keeps what was fetched, and the next run fetches only the rest", async () => {
    const limited = await startKospoSim({ quotaAfter: 3 });
    let fetchedUnits: string[];
    try {
      const r = await runFlow(backfill, input, engineFor(db, limited.url));
      expect(r.status).toBe("failed");
      expect(r.error?.name).toBe("QuotaExceeded");
      expect(r.error?.message).toMatch(/quota/i);
      expect(r.error?.message).toMatch(/resume/i);
      const [run] = await db.sql`select status, error from ops.runs where run_id = ${r.runId}`;
      expect(run.status).toBe("failed");
      const raw = await db.sql<{ partition: string }[]>`select partition from ops.asset_partitions where asset = 'kospo/raw' and status = 'success'`;
      fetchedUnits = raw.map((x) => x.partition.split("|")[1]);
      expect(fetchedUnits.length).toBeGreaterThan(0);
      expect(fetchedUnits.length).toBeLessThan(18);
    } finally {
      await limited.close();
    }

    const healthy = await startKospoSim({});
    try {
      const r = await runFlow(backfill, input, engineFor(db, healthy.url));
      expect(r.status).toBe("success");
      const asked = new Set(healthy.log.map((l) => `${l.query.strOrgCd}-${l.query.strHoki}`));
      for (const u of fetchedUnits) expect(asked.has(u)).toBe(false);
      expect(asked.size).toBe(18 - fetchedUnits.length);
    } finally {
      await healthy.close();
    }
    const [{ units, rows }] = await db.sql`select count(distinct (gencd, hogi))::int as units, count(*)::int as rows from nambu_generation`;
    expect(units).toBe(18);
    expect(rows).toBe(18 * 24);
  });
});
