import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "../../flows/probe.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { planChunks } from "../../f/lib/planner/plan.ts";
import { kospoHourly } from "../../f/lib/assets/catalog.ts";
import { kospoDims } from "../../f/lib/sources/kospo/units.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { todayKst } from "../../f/lib/time/kst.ts";

let db: TestDb;
let sim: KospoSim;
const thisYear = `${todayKst().slice(0, 4)}-01-20`;
beforeAll(async () => {
  db = await createTestDb();
  sim = await startKospoSim({
    units: [
      { gencd: "997Q", hogi: 1, capacityKw: 500, firstDate: "2019-03-17", lat: 35.07, lon: 128.99 },
      { gencd: "997R", hogi: 1, capacityKw: 500, firstDate: thisYear, lat: 35.07, lon: 128.99 },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

describe("probe flow", () => {
  it("finds a first day inside a month and one in the current year, stores them, and plans start there", async () => {
    for (const plant of ["997Q", "997R", "997K"]) {
      const r = await runFlow(probe, { plant }, engineFor(db, sim.url));
      expect(r.status, r.error?.message).toBe("success");
    }
    const rows = await db.sql`select gencd, to_char(first_date, 'YYYY-MM-DD') as first from nambu_plants where gencd in ('997Q', '997R', '997K') order by gencd`;
    expect(rows).toEqual([
      { gencd: "997K", first: null },
      { gencd: "997Q", first: "2019-03-17" },
      { gencd: "997R", first: thisYear },
    ]);
    const dims = await kospoDims(db.sql, { gencd: "997Q" });
    const chunks = await planChunks(db.sql, { asset: kospoHourly, start: "2019-03-01", end: "2019-03-31", dims, policy: "missing" });
    expect(chunks.map((c) => [c.start, c.end])).toEqual([["2019-03-17", "2019-03-31"]]);
  });
});
