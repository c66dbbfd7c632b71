// Each asset check fires on a crafted bad day and stays silent on a good one; blocking failures
// hold back impute; freshness follows its deadline; status shows the current failing state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kospoHourly } from "../../f/lib/assets/catalog.ts";
import { imputeAsset } from "../../f/lib/quality/impute.ts";
import { runAssetChecks } from "../../f/lib/quality/run_checks.ts";
import { checkStatus, describeCheckStatus } from "../../f/lib/store/check_results.ts";
import { now as clockNow } from "../../f/lib/time/clock.ts";
import { addDays, eachDay, kstMidnight, todayKst, yesterdayKst } from "../../f/lib/time/kst.ts";
import { fileTestDb } from "../helpers/db.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { at, markMaterialized, putKoenDays, putKospoDay, putWeather } from "../helpers/quality.ts";
import { kospoSimValue } from "../../src/simulators/kospo.ts";

const db = fileTestDb();

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
    const names = (kospoHourly.checks ?? []).filter((c) => c.kind === "subject").map((c) => c.name).sort();
    expect(names).toHaveLength(8);
    expect(r.results).toBe(CASES.length * names.length);
    // One evaluation per partition and check, with its subjects and passes; only failures are stored one by one.
    const [ev] = await db.sql<{ n: number; subjects: number; passed: number }[]>`
      select count(*)::int as n, sum(subjects)::int as subjects, sum(passed)::int as passed from ops.check_evaluations where run_id = 't1'`;
    expect(ev).toEqual({ n: CASES.length * names.length, subjects: CASES.length * names.length, passed: r.passed });
    const [{ stored }] = await db.sql<{ stored: number }[]>`select count(*)::int as stored from ops.check_results where run_id = 't1'`;
    expect(stored).toBe(r.failed);
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

describe("reporting.asset_freshness (Grafana): per cadence, at the pipeline clock", () => {
  it("daily: D-1 missing is not late before 10:00 KST, late after it by the hours since; present → fresh", async () => {
    const units = await db.sql<{ key: string }[]>`select gencd || '-' || hogi as key from nambu_plants where latitude is not null order by 1`;
    expect(units.length).toBeGreaterThan(1);
    const d1 = yesterdayKst();
    await markMaterialized(db.sql, "kospo/hourly", units.map((u) => `${addDays(d1, -1)}|${u.key}`));
    const deadline = kstMidnight(todayKst()).getTime() + 10 * 3_600_000;
    const [before] = await db.sql<{ state: string; hours_late: number; expected: string }[]>`
      select state, hours_late, to_char(expected_partition, 'YYYY-MM-DD') as expected from reporting.asset_freshness where asset = 'kospo/hourly'`;
    const now = clockNow().getTime();
    expect(before.expected).toBe(d1);
    expect(before.state).toBe(now >= deadline ? "late" : "not late yet");
    // The view's clock and this process's agree within the test's own run time.
    expect(before.hours_late).toBeCloseTo(Math.max(0, now - deadline) / 3_600_000, 1);
    await markMaterialized(db.sql, "kospo/hourly", units.map((u) => `${d1}|${u.key}`));
    const [after] = await db.sql<{ state: string; hours_late: number }[]>`
      select state, hours_late from reporting.asset_freshness where asset = 'kospo/hourly'`;
    expect(after).toEqual({ state: "fresh", hours_late: 0 });
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

describe("KOEN: a month partition, results per plant-day", () => {
  const MONTH = "2024-07-01";
  const DAYS = eachDay(MONTH, "2024-07-31");
  // A plausible day: daytime bell whose size varies by unit and day (no check fires on it).
  const bell = (k: number, day: string) =>
    Array.from({ length: 24 }, (_, h) => (h > 6 && h < 18 ? Math.round((100 + 7 * k + Number(day.slice(8))) * Math.sin((Math.PI * (h - 6)) / 12) * 10) / 10 : 0));
  const gap = (values: number[]) => values.map((v, h) => (h >= 10 && h <= 12 ? null : v));
  let units: { plant: string; hogi: number; key: string }[] = [];
  let gaps: { key: string; day: string }[] = [];

  beforeAll(async () => {
    units = (
      await db.sql<{ plant: string; hogi: number }[]>`
        select plant_name as plant, hogi from namdong_plants where latitude is not null order by plant_name, hogi limit 3`
    ).map((u) => ({ ...u, key: `${u.plant}-${u.hogi}` }));
    expect(units).toHaveLength(3);
    // Unit 0 misses three hours on three days of the month, unit 1 on one of those days.
    gaps = [
      ...["2024-07-08", "2024-07-16", "2024-07-28"].map((day) => ({ key: units[0].key, day })),
      { key: units[1].key, day: "2024-07-08" },
    ];
    const isGap = (key: string, day: string) => gaps.some((g) => g.key === key && g.day === day);
    await putKoenDays(
      db.sql,
      units.flatMap((u, k) => DAYS.map((day) => ({ plant: u.plant, hogi: u.hogi, day, values: isGap(u.key, day) ? gap(bell(k, day)) : bell(k, day) }))),
    );
    await markMaterialized(db.sql, "koen/hourly", [MONTH]);
  });

  it("every failing plant-day is its own result, in the run, in reporting.check_failures and in `pvpipe checks`", async () => {
    const r = await runAssetChecks(db.sql, { asset: "koen/hourly", start: MONTH, end: MONTH, runId: "k1" });
    expect(r.subjects).toBe(units.length * DAYS.length);
    const want = gaps.map((g) => `${g.day} ${g.key}`).sort();
    expect(r.failures.map((f) => `${f.check_name} ${f.partition} ${f.day} ${f.unit}`).sort()).toEqual(want.map((w) => `completeness ${MONTH} ${w}`));
    expect(r.failures.map((f) => f.message)).toEqual(gaps.map(() => "21/24 hours measured; missing 10:00, 11:00, 12:00"));
    const shown = await db.sql<{ day: string; unit: string }[]>`
      select to_char(day, 'YYYY-MM-DD') as day, unit from reporting.check_failures where asset = 'koen/hourly' and check_name = 'completeness'`;
    expect(shown.map((x) => `${x.day} ${x.unit}`).sort()).toEqual(want);
    // One evaluation per check for the month: all 93 plant-days judged, 89 passed completeness.
    const [ev] = await db.sql<{ subjects: number; passed: number }[]>`
      select subjects, passed from ops.check_evaluations where run_id = 'k1' and check_name = 'completeness'`;
    expect(ev).toEqual({ subjects: units.length * DAYS.length, passed: units.length * DAYS.length - gaps.length });

    const listed = await runCli(["checks", "--since", "1h", "--asset", "koen/hourly"], cliEnv({ DATABASE_URL: pgUrl(db.resource) }));
    expect(listed.code, listed.stderr).toBe(0);
    // (The freshness evaluations of the tests above are listed too.)
    const lines = listed.stdout.trim().split("\n").filter((l) => / completeness /.test(l));
    expect(lines).toHaveLength(gaps.length);
    for (const w of want) expect(lines.filter((l) => l.includes(` ${w} `) && /warn\s+koen\/hourly\s+completeness\s/.test(l))).toHaveLength(1);
  });

  it("re-checking one plant replaces only that plant's results; a fixed day stops failing", async () => {
    await putKoenDays(db.sql, [{ plant: units[0].plant, hogi: units[0].hogi, day: "2024-07-16", values: bell(0, "2024-07-16") }]);
    const r = await runAssetChecks(db.sql, { asset: "koen/hourly", start: MONTH, end: MONTH, pdims: [units[0].key], runId: "k2" });
    expect(r.subjects).toBe(DAYS.length);
    expect(r.failures.map((f) => f.day)).toEqual(["2024-07-08", "2024-07-28"]);
    const shown = await db.sql<{ day: string; unit: string; run_id: string }[]>`
      select to_char(day, 'YYYY-MM-DD') as day, unit, run_id from reporting.check_failures
      where asset = 'koen/hourly' and check_name = 'completeness' order by day, unit`;
    expect(shown).toEqual([
      { day: "2024-07-08", unit: units[0].key, run_id: "k2" },
      { day: "2024-07-08", unit: units[1].key, run_id: "k1" },
      { day: "2024-07-28", unit: units[0].key, run_id: "k2" },
    ]);
  });

  it("freshness per cadence: a month loaded before the 10th is partial, not missing, and not late before the 11th", async () => {
    const loadedAt = async (at: string) => db.sql`update ops.asset_partitions set materialized_at = ${at}::timestamptz where asset = 'koen/hourly' and partition = '2024-06-01'`;
    await markMaterialized(db.sql, "koen/hourly", ["2024-06-01"]);
    await loadedAt("2024-07-06T12:00:00+09:00");
    const early = await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-07-06T13:00:00+09:00") });
    expect(early).toMatchObject({ results: 1, passed: 1, failed: 0, freshness: "partial (final after the 10th)" });
    const [row] = await db.sql<{ passed: boolean; message: string }[]>`
      select passed, message from ops.check_results where check_name = 'freshness' and asset = 'koen/hourly' order by id desc limit 1`;
    expect(row).toEqual({ passed: true, message: "2024-06-01 partial (final after the 10th)" });
    const late = await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-07-11T08:00:00+09:00") });
    expect(late.failures).toEqual([expect.objectContaining({ severity: "error", message: "2024-06-01 still partial (final after the 10th; previous month due on the 11th)" })]);
    await loadedAt("2024-07-10T10:05:00+09:00");
    const final = await runAssetChecks(db.sql, { asset: "koen/hourly", start: "", end: "", mode: "freshness", now: new Date("2024-07-11T08:00:00+09:00") });
    expect(final).toMatchObject({ failed: 0, freshness: "fresh" });
  });
});
