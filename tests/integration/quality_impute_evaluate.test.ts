// `pvpipe impute --evaluate` on a year of simulated KOSPO data — the first week of every month of
// 2025, the simulator's truth with its own meter gaps: the fills meet the targets and beat plain
// linear interpolation, the same seed gives the same answer, evaluation writes nothing, and bad
// input is one line and exit 2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChooseAssetToEvaluate, evaluateImpute, linearWae, LoadMeasuredDataFirst, wae, type EvaluationResult } from "../../f/lib/quality/impute_evaluate.ts";
import { eachDay } from "../../f/lib/time/kst.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { putKospoDay } from "../helpers/quality.ts";
import { DEFAULT_KOSPO_SIM_UNITS, kospoSimTruth } from "../../src/simulators/kospo.ts";
import { meterGapLabels } from "../../src/simulators/meter_gaps.ts";

let db: TestDb;
const START = "2025-01-01";
const END = "2025-12-07";
const DAYS = eachDay(START, END).filter((d) => Number(d.slice(8)) <= 7);
// Every simulated KOSPO unit with coordinates and valid hourly values (997S-1 is graded 시간별무효).
const UNITS = DEFAULT_KOSPO_SIM_UNITS.filter((u) => u.gencd !== "997S").map((u) => `${u.gencd}-${u.hogi}`);

/** Everything a write would change: every row with its version, and the ops tables' sizes. */
const snapshot = async () => ({
  rows: await db.sql`select gencd, hogi, datetime, generation::text as g, generation_filled::text as f, fill_method, xmin::text as x from nambu_generation order by 1, 2, 3`,
  ops: await db.sql`select (select count(*) from ops.materializations)::int as m, (select count(*) from ops.runs)::int as r, (select count(*) from ops.check_results)::int as c`,
});

beforeAll(async () => {
  db = await createTestDb();
  for (const unit of UNITS) {
    for (const day of DAYS) {
      const gaps = meterGapLabels(unit, day, 0.1); // the simulator's own outages, as npm start serves them
      await putKospoDay(db.sql, unit, day, Array.from({ length: 24 }, (_, h) => (gaps.includes(h + 1) ? null : kospoSimTruth(unit, day, h))));
    }
  }
}, 300_000);
afterAll(async () => {
  await db?.drop();
});

describe("impute --evaluate", () => {
  let r: EvaluationResult;
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    before = await snapshot();
    r = await evaluateImpute(db.sql, { asset: "kospo/hourly", start: START, end: END, seed: 1 });
  }, 120_000);

  it("hides gaps of 1–6 h and whole days at unit-days with every daylight hour measured, on clear and cloudy days", () => {
    expect(r).toMatchObject({ asset: "kospo/hourly", start: START, end: END, seed: 1, units: UNITS.length });
    expect(r.eligible.clear).toBeGreaterThan(30);
    expect(r.eligible.cloudy).toBeGreaterThan(100);
    expect(r.gaps.daytime).toBeGreaterThan(80);
    expect(r.gaps.wholeDays).toBeGreaterThan(5);
    expect(new Set(r.cells.map((c) => c.gap))).toEqual(new Set(["1 h", "2 h", "3 h", "4 h", "5 h", "6 h", "day"]));
  });

  it("fills every hidden daytime gap from the clear-sky index — in a sibling's shape where one was measured; whole days stay NULL (longer than 6 h)", () => {
    const daytime = r.cells.filter((c) => c.gap !== "day");
    const days = r.cells.filter((c) => c.gap === "day");
    // No weather is loaded here: no station reference.
    expect(new Set(daytime.map((c) => c.method))).toEqual(new Set(["sibling_csi", "clear_sky_index"]));
    expect(daytime.reduce((a, c) => a + c.unfilled, 0)).toBe(0);
    expect(new Set(days.map((c) => c.method))).toEqual(new Set(["none"]));
    expect(days.reduce((a, c) => a + c.hours, 0)).toBe(days.reduce((a, c) => a + c.unfilled, 0));
  });

  it("meets the targets for gaps up to 6 h: WAE ≤ 0.15 cloudy, ≤ 0.08 clear, and below linear interpolation", () => {
    expect(r.targets.map((t) => [t.sky, t.target])).toEqual([["clear", 0.08], ["cloudy", 0.15]]);
    for (const t of r.targets) {
      expect(t.hours, t.sky).toBeGreaterThan(100);
      expect(wae(t)!, t.sky).toBeLessThanOrEqual(t.target);
      expect(wae(t)!, t.sky).toBeLessThan(linearWae(t)!);
      expect(t.meets, t.sky).toBe(true);
    }
  });

  it("one unit: gaps are hidden at it only, its siblings come along as references", async () => {
    const one = await evaluateImpute(db.sql, { asset: "kospo/hourly", start: START, end: END, seed: 1, pdims: ["9985-1"] });
    expect(one.units).toBe(1);
    expect(one.gaps.daytime).toBeGreaterThan(5);
    expect(one.cells.filter((c) => c.gap !== "day").map((c) => c.method)).toContain("sibling_csi");
    expect(await snapshot()).toEqual(before);
  });

  it("writes nothing: every row and every ops table as before", async () => {
    expect(await snapshot()).toEqual(before);
  });

  it("the same seed gives the same evaluation; another seed hides other gaps", async () => {
    expect(await evaluateImpute(db.sql, { asset: "kospo/hourly", start: START, end: END, seed: 1 })).toEqual(r);
    const other = await evaluateImpute(db.sql, { asset: "kospo/hourly", start: START, end: END, seed: 2 });
    expect(other.cells).not.toEqual(r.cells);
    expect(other.eligible).toEqual(r.eligible);
  });

  it("bad input: no measured data in the range, or an asset without a PV fill policy, is a typed error", async () => {
    await expect(evaluateImpute(db.sql, { asset: "kospo/hourly", start: "2024-03-01", end: "2024-03-31", seed: 1 })).rejects.toThrow(LoadMeasuredDataFirst);
    await expect(evaluateImpute(db.sql, { asset: "kospo/raw", start: START, end: END, seed: 1 })).rejects.toThrow(ChooseAssetToEvaluate);
    await expect(evaluateImpute(db.sql, { asset: "asos/hourly", start: START, end: END, seed: 1 })).rejects.toThrow(ChooseAssetToEvaluate);
    expect(await snapshot()).toEqual(before);
  });
});

describe("pvpipe impute --evaluate (CLI)", () => {
  const cli = (args: string[]) => runCli(["impute", "--evaluate", ...args, "--db-url", pgUrl(db.resource)], cliEnv());

  it("prints the table and whether the targets are met", async () => {
    const out = await cli(["--asset", "kospo/hourly", "--start", START, "--end", END, "--seed", "1"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^kospo\/hourly 2025-01-01\.\.2025-12-07, seed 1: 17 units/);
    expect(out.stdout).toMatch(/^cloudy\s+3 h\s+sibling_csi\s+\d+\s+0\s+[\d.]+\s+0\.\d{3}\s+[+-]0\.\d{3}\s+0\.\d{3}/m);
    expect(out.stdout).toMatch(/^clear\s+gaps ≤ 6 h: WAE 0\.\d{3} \(target ≤ 0\.08\).* — meets the target$/m);
    expect(out.stdout).toMatch(/^cloudy\s+gaps ≤ 6 h: WAE 0\.\d{3} \(target ≤ 0\.15\).* — meets the target$/m);
  }, 120_000);

  it.each([
    [["--asset", "kospo/hourly", "--start", "2024-03-01", "--end", "2024-03-31"], /^pvpipe: no measured kospo\/hourly values in 2024-03-01\.\.2024-03-31/],
    [["--asset", "kospo/raw", "--start", START, "--end", END], /^pvpipe: --asset kospo\/raw has no fill policy to evaluate/],
    [["--asset", "kospo/hourly", "--start", START, "--end", END, "--seed", "-1"], /^pvpipe: --seed: must be a whole number ≥ 0/],
  ])("bad input %j: one line, exit 2", async (args, message) => {
    const out = await cli(args);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(message);
  }, 120_000);
});
