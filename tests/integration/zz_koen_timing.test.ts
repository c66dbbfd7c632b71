import { afterAll, beforeAll, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { koenEngineFor } from "../helpers/engine_koen.ts";
import { startKoenSim, type KoenSim } from "../sim/koen.ts";
let db: TestDb; let s: KoenSim;
beforeAll(async () => { db = await createTestDb(); s = await startKoenSim(); });
afterAll(async () => { await s?.close(); await db?.drop(); });
it("timing", async () => {
  const t: Record<string, number> = {};
  const start: Record<string, number> = {};
  const r = await runFlow(backfill, { source: "koen", start: "2024-05-01", end: "2024-05-31" }, { ...koenEngineFor(db, s.url), onEvent: (e) => {
    if (e.type === "start") start[e.step] = Date.now();
    if (e.type === "end") t[e.step] = (t[e.step] ?? 0) + Date.now() - start[e.step];
  } });
  console.log("TIMING", r.status, JSON.stringify(t));
  const imp = (r.results.chunks as any[])[0]?.impute;
  console.log("IMPUTE", JSON.stringify(imp));
  const f = await db.sql`select check_name, count(*) filter (where not passed)::int as failing, count(*)::int as n from ops.check_results group by 1 order by 1`;
  console.log("CHECKS", JSON.stringify(f));
  const u = await db.sql`select unit, check_name, min(message) as m from ops.check_results where not passed group by 1, 2 order by 1, 2 limit 30`;
  console.log("FAILING", JSON.stringify(u, null, 1));
}, 900_000);
