import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { runFlow } from "../../src/flow/engine.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { kospoSimValue, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
let sim: KospoSim;
beforeAll(async () => {
  db = await createTestDb();
  sim = await startKospoSim({ htmlFor: (q) => q.gencd === "8760" && q.start <= "2024-06-05" && q.end >= "2024-06-05" });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

const input = (over: Record<string, unknown> = {}) => ({ source: "kospo", start: "2024-06-01", end: "2024-06-10", plant: "9985", ...over });

describe("KOSPO backfill end to end", () => {
  it("loads every hour of every day at interval start, with the simulator's exact values", async () => {
    const r = await runFlow(backfill, input(), engineFor(db, sim.url));
    expect(r.status).toBe("success");
    const report = r.results.report as RunReport;
    expect(report.status).toBe("success");
    expect(report.assets.find((a) => a.asset === "kospo/hourly")).toMatchObject({ success: 10, failed: 0, rows: 240 });
    const rows = await db.sql<{ h: number; generation: number | null }[]>`
      select extract(hour from datetime at time zone 'Asia/Seoul')::int as h, generation
      from nambu_generation where gencd = '9985' and hogi = 1
        and datetime >= '2024-06-03 00:00+09' and datetime < '2024-06-04 00:00+09' order by datetime`;
    expect(rows.map((x) => x.h)).toEqual([...Array(24).keys()]);
    expect(rows.map((x) => x.generation)).toEqual(kospoSimValue("9985", 1, "2024-06-03"));
    const [{ n }] = await db.sql`select count(*)::int as n from nambu_generation where gencd = '9985'`;
    expect(n).toBe(240);
  });

  it("a second identical backfill changes no row", async () => {
    const before = await db.sql`select datetime, xmin::text as x from nambu_generation where gencd = '9985' order by datetime`;
    const again = await runFlow(backfill, input(), engineFor(db, sim.url));
    expect((again.results.plan as { partitions: number }).partitions).toBe(0);
    // Even forcing a re-fetch of everything (policy all) must update nothing.
    const forced = await runFlow(backfill, input({ policy: "all" }), engineFor(db, sim.url));
    expect(forced.status).toBe("success");
    const ingests = (forced.results.chunks as { inserted: number; updated: number }[]);
    expect(ingests.reduce((n, c) => n + c.inserted + c.updated, 0)).toBe(0);
    const after = await db.sql`select datetime, xmin::text as x from nambu_generation where gencd = '9985' order by datetime`;
    expect(after).toEqual(before);
  });

  it("records a failed partition, and --policy failed fetches only that one again", async () => {
    const r = await runFlow(backfill, input({ plant: "8760", start: "2024-06-04", end: "2024-06-06" }), engineFor(db, sim.url));
    const report = r.results.report as RunReport;
    expect(report.status).toBe("partial");
    expect(report.failures.map((f) => f.partition)).toEqual(["2024-06-05|8760-1", "2024-06-05|8760-1"]);
    expect(report.failures[0].error).toMatch(/SourceReturnedHtml/);
    const [run] = await db.sql`select status from ops.runs where run_id = ${r.runId}`;
    expect(run.status).toBe("partial");

    const healthy = await startKospoSim({});
    try {
      const retry = await runFlow(backfill, input({ plant: "8760", start: "2024-06-01", end: "2024-06-10", policy: "failed" }), engineFor(db, healthy.url));
      expect((retry.results.report as RunReport).status).toBe("success");
      const asked = healthy.log.map((l) => [l.query.strOrgCd, l.query.strSdate, l.query.strEdate]);
      expect(asked).toEqual([["8760", "20240605", "20240605"]]);
    } finally {
      await healthy.close();
    }
    const [{ n }] = await db.sql`select count(*)::int as n from nambu_generation where gencd = '8760' and datetime >= '2024-06-05 00:00+09' and datetime < '2024-06-06 00:00+09'`;
    expect(n).toBe(24);
  });
});
