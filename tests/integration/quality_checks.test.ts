// Each asset check fires on a crafted bad day and stays silent on a good one; blocking failures
// hold back impute; freshness follows its deadline; status shows the current failing state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_CHECKS } from "../../f/lib/quality/checks.ts";
import { imputeAsset } from "../../f/lib/quality/impute.ts";
import { runAssetChecks } from "../../f/lib/quality/run_checks.ts";
import { checkStatus, describeCheckStatus } from "../../f/lib/store/check_results.ts";
import { eachDay } from "../../f/lib/time/kst.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { at, markMaterialized, putKospoDay, putWeather } from "../helpers/quality.ts";
import { kospoSimValue } from "../sim/kospo.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.drop();
});

const sim = (d: string) => kospoSimValue("9985", 1, d);
const set = (values: number[], changes: Record<number, number | null>) => values.map((v, h) => (h in changes ? changes[h] : v));
const GOOD = "2024-07-01";

/** day → [values, daily total (default Σ)] for 9985-1, and the checks each must fail (only those). */
const CASES: { day: string; values: (number | null)[]; total?: number; fails: string[] }[] = [
  { day: GOOD, values: sim(GOOD), fails: [] },
  { day: "2024-07-02", values: set(sim("2024-07-02"), { 10: null, 11: null, 12: null }), fails: ["completeness"] },
  { day: "2024-07-03", values: set(sim("2024-07-03"), { 22: 5 }), fails: ["night_generation"] },
  { day: "2024-07-04", values: set(sim("2024-07-04"), { 3: -2 }), fails: ["impossible_values"] },
  { day: "2024-07-05", values: sim("2024-07-05"), total: sim("2024-07-05").reduce((a, b) => a + b, 0) + 50, fails: ["daily_total"] },
  {
    day: "2024-07-06",
    values: sim("2024-07-06").map((_, h) => (h === 15 ? sim("2024-07-06").reduce((a, b) => a + b, 0) : 0)),
    fails: ["one_cell_day"],
  },
  { day: "2024-07-07", values: set(sim("2024-07-07"), { 9: 250, 10: 250, 11: 250, 12: 250, 13: 250 }), fails: ["stuck_values"] },
  // Three days with the same daily total (a monthly value divided by days): the third one fails.
  { day: "2024-07-08", values: sim("2024-07-08"), fails: [] },
  { day: "2024-07-09", values: sim("2024-07-08"), fails: [] },
  { day: "2024-07-10", values: sim("2024-07-08"), fails: ["repeated_daily_total"] },
  { day: "2024-07-11", values: Array(24).fill(0), fails: ["zero_day"] },
];

describe("KOSPO checks on crafted days", () => {
  beforeAll(async () => {
    for (const c of CASES) await putKospoDay(db.sql, "9985-1", c.day, c.values, c.total);
    // 9979-1 has a known capacity (995 kW): a good day, and a day with 1500 kWh in one hour.
    await putKospoDay(db.sql, "9979-1", GOOD, kospoSimValue("9979", 1, GOOD));
    await putKospoDay(db.sql, "9979-1", "2024-07-02", set(kospoSimValue("9979", 1, "2024-07-02"), { 12: 1500 }));
  });

  it("every declared PV check fires exactly on its bad day", async () => {
    const r = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "2024-07-01", end: "2024-07-11", pdims: ["9985-1"], runId: "t1" });
    expect(r.subjects).toBe(CASES.length);
    const names = ASSET_CHECKS["kospo/hourly"].checks.filter((c) => c.kind === "partition").map((c) => c.name).sort();
    expect(r.results).toBe(CASES.length * names.length);
    const failing = await db.sql<{ day: string; check_name: string }[]>`
      select to_char(day, 'YYYY-MM-DD') as day, check_name from ops.check_results where run_id = 't1' and not passed order by 1, 2`;
    for (const c of CASES) {
      expect([c.day, failing.filter((f) => f.day === c.day).map((f) => f.check_name)]).toEqual([c.day, c.fails]);
    }
    // Every check that fires somewhere is silent on the good day, and every declared check was exercised.
    expect([...new Set(CASES.flatMap((c) => c.fails))].sort()).toEqual(names);
  });

  it("results carry the measured figure and a readable message", async () => {
    const rows = await db.sql<{ check_name: string; severity: string; value: number; message: string }[]>`
      select check_name, severity, value, message from ops.check_results where run_id = 't1' and not passed order by day`;
    const by = Object.fromEntries(rows.map((r) => [r.check_name, r]));
    expect(by.completeness).toMatchObject({ severity: "warn", value: 21, message: "21/24 hours measured; missing 10:00, 11:00, 12:00" });
    expect(by.night_generation.value).toBe(5);
    expect(by.night_generation.message).toMatch(/^5 kWh measured in 1 night hour \(22:00; sun up 05:\d\d–19:\d\d KST\)$/);
    expect(by.impossible_values).toMatchObject({ severity: "error", value: -2, message: "negative generation -2 kWh at 03:00" });
    expect(by.daily_total.value).toBeCloseTo(50, 6);
    expect(by.daily_total.message).toMatch(/Δ 50 kWh/);
    expect(by.one_cell_day).toMatchObject({ severity: "error", value: 1 });
    expect(by.one_cell_day.message).toMatch(/^100% of the day's [\d.]+ kWh in one hour \(15:00–16:00, label 16\)$/);
    expect(by.stuck_values).toMatchObject({ value: 5, message: "250 kWh 5 hours running from 09:00" });
    expect(by.repeated_daily_total.value).toBe(3);
    expect(by.zero_day.message).toBe("all 24 measured hours are 0 (zero disguised as missing?)");
  });

  it("generation above 1.2 × a known capacity is impossible; blocking: impute skips that partition and says why", async () => {
    const r = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "2024-07-01", end: "2024-07-02", pdims: ["9979-1"], runId: "t2" });
    expect(r.failures.map((f) => [f.check_name, f.partition, f.blocking])).toEqual([["impossible_values", "2024-07-02|9979-1", true]]);
    expect(r.failures[0].message).toBe("generation 1500 kWh at 12:00 is above 1.2 × capacity 995 kW");
    expect(r.blocked).toEqual(["2024-07-02|9979-1"]);
    // A hole in the blocked day is not filled; the good day's is.
    await db.sql`update nambu_generation set generation = null, generation_filled = null, fill_method = 'none'
                 where gencd = '9979' and hogi = 1 and datetime in (${at("2024-07-01", 9)}, ${at("2024-07-02", 9)})`;
    const imp = await imputeAsset(db.sql, { asset: "kospo/hourly", start: "2024-07-01", end: "2024-07-02", pdims: ["9979-1"], skip: r.blocked });
    expect(imp.skipped).toEqual([{ partition: "2024-07-02|9979-1", reason: "failing blocking check: impossible_values" }]);
    const methods = await db.sql<{ day: string; fill_method: string }[]>`
      select to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day, fill_method from nambu_generation
      where gencd = '9979' and generation is null order by 1`;
    expect(methods).toEqual([{ day: "2024-07-01", fill_method: "clear_sky_index" }, { day: "2024-07-02", fill_method: "none" }]);
  });

  it("a plant-day the source returned empty fails completeness with 0/24", async () => {
    await markMaterialized(db.sql, "kospo/hourly", ["2024-07-12|9985-1"], "empty");
    const r = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "2024-07-12", end: "2024-07-12", pdims: ["9985-1"] });
    expect(r.failures.map((f) => [f.check_name, f.message])).toEqual([["completeness", "no hours measured for this day (0/24)"]]);
  });

  it("status shows the latest state: a fixed day stops failing once re-checked", async () => {
    const s = await checkStatus(db.sql, "kospo/hourly", "2024-07-01", "2024-07-11");
    expect(s.failing).toBe(9);
    expect(describeCheckStatus(s)).toMatch(/^checks: 9 failing \((impossible_values|night_generation|one_cell_day) (9985|9979)-1 ×\d, .*\) — 4 error, 5 warn, 2 blocking$/);
    await putKospoDay(db.sql, "9985-1", "2024-07-06", sim("2024-07-06"));
    await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "2024-07-06", end: "2024-07-06", pdims: ["9985-1"] });
    expect((await checkStatus(db.sql, "kospo/hourly", "2024-07-01", "2024-07-11")).failing).toBe(8);
  });
});

describe("freshness", () => {
  it("D-1 by 10:00 KST: missing units are named; before the deadline it is only a warning", async () => {
    const units = await db.sql<{ key: string }[]>`select gencd || '-' || hogi as key from nambu_plants where latitude is not null order by 1`;
    expect(units).toHaveLength(18);
    await markMaterialized(db.sql, "kospo/hourly", units.slice(0, 15).map((u) => `2024-08-09|${u.key}`));
    const late = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-08-10T10:30:00+09:00") });
    expect(late.failures).toEqual([
      expect.objectContaining({ check_name: "freshness", partition: "2024-08-09", severity: "error", value: 3, message: expect.stringMatching(/^2024-08-09 missing for 3 of 18 units \(.+\) \(D-1 due 10:00 KST\)$/) }),
    ]);
    const early = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-08-10T09:40:00+09:00") });
    expect(early.failures[0]).toMatchObject({ severity: "warn", message: expect.stringMatching(/not late yet/) });
    await markMaterialized(db.sql, "kospo/hourly", units.slice(15).map((u) => `2024-08-09|${u.key}`));
    const ok = await runAssetChecks(db.sql, { asset: "kospo/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-08-10T10:30:00+09:00") });
    expect(ok).toMatchObject({ results: 1, failed: 0 });
    // The status counts only the latest freshness evaluation.
    const s = await checkStatus(db.sql, "kospo/hourly", "2024-08-01", "2024-08-10");
    expect(s.failing).toBe(0);
  });

  it("KOEN: the previous month by the 11th", async () => {
    const before = await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-06-11T08:00:00+09:00") });
    expect(before.failures[0]).toMatchObject({ partition: "2024-05-01", severity: "error", message: "2024-05-01 missing (previous month due on the 11th)" });
    const early = await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-06-10T08:00:00+09:00") });
    expect(early.failures[0].severity).toBe("warn");
    await markMaterialized(db.sql, "koen/hourly", ["2024-05-01"]);
    expect((await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-06-11T08:00:00+09:00") })).failed).toBe(0);
  });
});

describe("weather checks", () => {
  it("completeness per station-day and impossible values fire on bad days only", async () => {
    const day = (d: string, skipHour: number | null, hm: number) =>
      Array.from({ length: 24 }, (_, h) => h)
        .filter((h) => h !== skipHour)
        .map((h) => ({ t: at(d, h), values: { ta: 20, hm: h === 12 ? hm : 60, ps: 1010, pa: 1000, td: 12 } }));
    await putWeather(db.sql, 108, [...day("2024-07-01", null, 60), ...day("2024-07-02", 7, 60), ...day("2024-07-03", null, 120)]);
    await markMaterialized(db.sql, "asos/hourly", eachDay("2024-07-01", "2024-07-03").map((d) => `${d}|108`));
    const r = await runAssetChecks(db.sql, { asset: "asos/hourly", start: "2024-07-01", end: "2024-07-03", runId: "w1" });
    expect(r.subjects).toBe(3);
    expect(r.failures.map((f) => [f.partition, f.check_name, f.message])).toEqual([
      ["2024-07-03|108", "impossible_values", "hm 120 outside 0..100 (1 h)"],
      ["2024-07-02|108", "completeness", "23/24 hourly observations; missing 07:00"],
    ]);
    expect(r.blocked).toEqual(["2024-07-03|108"]);
  });
});
