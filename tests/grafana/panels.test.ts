// Every panel of every dashboard against a database produced by `npm start` (the real CLI with the
// built-in simulators: KOSPO, ASOS, KOEN, checks and impute), plus one partition that really failed
// and two written by an older code version. Each target is expanded exactly as Grafana would
// (variables, $__interval, backend macros), run as the read-only role pv_grafana with the session
// in UTC (Grafana's server zone must not matter), and must return rows of the shape its panel needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import { timeDimension } from "../../f/lib/assets/partitions.ts";
import { imputeAsset } from "../../f/lib/quality/impute.ts";
import { KOSPO_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { addDays, addMonths, eachDay, monthStart, todayKst, yesterdayKst } from "../../f/lib/time/kst.ts";
import { backfill } from "../../flows/backfill.ts";
import { DASHBOARDS } from "../../src/grafana/dashboards/index.ts";
import { dataHealth } from "../../src/grafana/dashboards/data_health.ts";
import { pvOverview } from "../../src/grafana/dashboards/pv_overview.ts";
import { weatherVsGeneration } from "../../src/grafana/dashboards/weather.ts";
import type { PvDashboard } from "../../src/grafana/model.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { at, putKospoDay } from "../helpers/quality.ts";
import { SIM_METER_GAPS } from "../../src/cli/sources.ts";
import { meterGapLabels } from "../../src/simulators/meter_gaps.ts";
import { kospoSimValue, startKospoSim } from "../../src/simulators/kospo.ts";
import { becomeReader, dashboardProblems, defaultRange, partitionStatusBothWays, expandDashboard, resolveVariables, run, type Reader, type VariableChoice } from "./harness.ts";

let db: TestDb;
let reader: Reader;
let startOutput = "";
const YESTERDAY = yesterdayKst();
const FAILED_DAY = addDays(YESTERDAY, -9); // inside every dashboard's default range, outside npm start's 7 days
const STALE_DAY = addDays(YESTERDAY, -1);
const GAP_DAY = addDays(YESTERDAY, -2);
const GAP_HOURS = [10, 11, 12, 20];
// The unit that gets the injected gaps: one whose simulated meter has no gap of its own anywhere
// near the dashboards' ranges (the simulator's gaps depend on the date), so every filled hour the
// panels show is one this test put there.
const GAP_UNIT = KOSPO_UNITS.filter((u) => u.latitude !== null && u.data_quality === "정상" && !["9985", "9987"].includes(u.gencd))
  .map((u) => ({ gencd: u.gencd, hogi: u.hogi, id: `${u.gencd}-${u.hogi}` }))
  .find((u) => eachDay(addDays(YESTERDAY, -30), YESTERDAY).every((d) => meterGapLabels(u.id, d, SIM_METER_GAPS).length === 0));
let gapLabel = "";

beforeAll(async () => {
  db = await createTestDb();
  const r = await runCli(["start", "--once", "--days", "7", "--db-url", pgUrl(db.resource)], cliEnv(), 540_000);
  startOutput = r.stdout + r.stderr;
  if (r.code !== 0 && r.code !== 1) throw new Error(`pvpipe start failed (${r.code}):\n${startOutput}`);
  // A partition that fails for real: the KOSPO API answers an HTML page for that day.
  const broken = await startKospoSim({ htmlFor: () => true });
  try {
    await runFlow(backfill, { source: "kospo", start: FAILED_DAY, end: FAILED_DAY, plant: "9985" }, engineFor(db, broken.url));
  } finally {
    await broken.close();
  }
  // Source gaps in one unit-day (the simulator has none there), filled by the real impute.
  if (!GAP_UNIT) throw new Error("no KOSPO unit without simulated meter gaps in the last 30 days");
  const measured = kospoSimValue(GAP_UNIT.gencd, GAP_UNIT.hogi, GAP_DAY).map((v, h) => (GAP_HOURS.includes(h) ? null : v));
  await putKospoDay(db.sql, GAP_UNIT.id, GAP_DAY, measured);
  await imputeAsset(db.sql, { asset: "kospo/hourly", start: GAP_DAY, end: GAP_DAY, pdims: [GAP_UNIT.id], runId: "grafana-test" });
  [{ gapLabel }] = await db.sql<{ gapLabel: string }[]>`select plant_label as "gapLabel" from reporting.pv_plants where plant_id = ${`kospo:${GAP_UNIT.id}`}`;
  // Two partitions written by an older code version of kospo/hourly (→ stale).
  await db.sql`update ops.asset_partitions set code_version = 'old' where asset = 'kospo/hourly' and partition in (${`${STALE_DAY}|9985-1`}, ${`${STALE_DAY}|9987-1`})`;
  reader = await db.sql.reserve();
  await becomeReader(reader);
  await reader.unsafe("set time zone 'UTC'");
}, 900_000);

afterAll(async () => {
  reader?.release();
  await db?.drop();
});

const problemsOf = (d: PvDashboard, choose: VariableChoice = {}, range = defaultRange(d)) => dashboardProblems(reader, d, choose, range);

describe("the database npm start produced", () => {
  it("has every source loaded, the injected failure and the quality results", async () => {
    expect(startOutput).toMatch(/kospo\/hourly\s+\S+\s+materialized \d+/);
    const [c] = await db.sql`
      select (select count(*) from nambu_generation)::int as kospo, (select count(*) from namdong_generation)::int as koen,
             (select count(*) from weather_asos)::int as weather, (select count(*) from ops.check_results)::int as checks,
             (select count(*) from ops.asset_partitions where status = 'failed')::int as failed`;
    expect(c.kospo).toBeGreaterThan(0);
    expect(c.koen).toBeGreaterThan(0);
    expect(c.weather).toBeGreaterThan(0);
    expect(c.checks).toBeGreaterThan(0);
    expect(c.failed).toBeGreaterThan(0);
  });

  it("the panels run as the read-only role", async () => {
    const [r] = await reader`select current_user as u`;
    expect(r.u).toBe("pv_grafana");
  });
});

describe.each(DASHBOARDS.map((d) => [d.title, d] as const))("%s", (_title, d) => {
  it("every panel target returns rows of the shape its panel type needs (default range, default variables)", async () => {
    const { problems, targets, variables } = await problemsOf(d);
    expect(problems).toEqual([]);
    expect(targets.length).toBeGreaterThanOrEqual(d.panels.filter((p) => p.type !== "row").length);
    for (const v of variables) expect(v.options.length, `options of $${v.name}`).toBeGreaterThan(0);
  });
});

describe("variables: multi-value and single-value selections", () => {
  it("PV overview with two selected KOSPO plants shows exactly those plants", async () => {
    const plants = ["kospo:9985-1", "kospo:9987-1"];
    const { problems, results } = await problemsOf(pvOverview, { operator: ["kospo"], plant: plants });
    expect(problems).toEqual([]);
    const map = results.find((r) => r.panel.type === "geomap")!;
    expect(map.sql).toContain("IN ('kospo:9985-1','kospo:9987-1')");
    expect(map.result.rows.map((r) => r.name).sort()).toEqual(["부산역선상주차장", "신인천 주차장"]);
    const hourly = results.find((r) => r.panel.title.startsWith("Hourly") && r.target.refId === "A")!;
    expect(new Set(hourly.result.rows.map((r) => String(r.metric).replace(/ \(filled\)$/, "")))).toEqual(new Set(["부산역선상주차장", "신인천 주차장"]));
  });

  it("PV overview with only KOEN selected (its last complete month is in the default range)", async () => {
    const { problems, results } = await problemsOf(pvOverview, { operator: ["koen"] });
    expect(problems).toEqual([]);
    const stat = results.find((r) => r.panel.title.startsWith("Energy by operator"))!;
    expect(stat.result.rows.map((r) => r.operator)).toEqual(["KOEN 남동발전"]);
  });

  it("Weather vs generation for another plant (single-value variable)", async () => {
    const { problems, variables, results } = await problemsOf(weatherVsGeneration, { plant: "kospo:9987-1" });
    expect(problems).toEqual([]);
    expect(variables[0].current).toBe("kospo:9987-1");
    const stations = results.find((r) => r.panel.title === "Matched ASOS stations")!;
    expect(stations.result.rows).toHaveLength(1);
    expect(Number(stations.result.rows[0].distance_km)).toBeGreaterThan(0);
  });

  it("Data health for one asset: the repeated panel appears once", async () => {
    const { problems, targets } = await problemsOf(dataHealth, { asset: ["kospo/hourly"] });
    expect(problems).toEqual([]);
    expect(targets.filter((t) => t.panel.repeat).map((t) => t.repeatValue)).toEqual(["kospo/hourly"]);
  });
});

describe("what the panels show", () => {
  it("partition status per day equals `pvpipe status` (f/lib/store/status_counts.ts) for every asset", async () => {
    // Up to the last partition a source can have published: yesterday, or the last complete month.
    const thisMonth = monthStart(todayKst());
    for (const asset of ASSETS) {
      const monthly = timeDimension(asset.partitions)?.kind === "monthly";
      const start = monthly ? addMonths(thisMonth, -3) : addDays(YESTERDAY, -20);
      const end = monthly ? addDays(thisMonth, -1) : YESTERDAY;
      const { cli: ts, grafana: sqlCounts } = await partitionStatusBothWays(db.sql, reader, asset, start, end);
      expect(sqlCounts, asset.key).toEqual(ts.counts);
      expect(ts.total, `${asset.key} has expected partitions`).toBeGreaterThan(0);
    }
    const hourly = await reader<{ status: string; n: number }[]>`
      select status, sum(partitions)::int as n from reporting.partition_status_daily
      where asset = 'kospo/hourly' and day in (${FAILED_DAY}::date, ${STALE_DAY}::date) group by status order by status`;
    expect(Object.fromEntries(hourly.map((r) => [r.status, r.n]))).toMatchObject({ failed: 1, stale: 2 });
  });

  it("the health bar marks the failed and the stale day; the failed partition is listed with its error", async () => {
    const { results } = await problemsOf(dataHealth);
    const bar = results.find((r) => r.panel.type === "state-timeline")!;
    const at = (day: string) => bar.result.rows.find((r) => r.metric === "kospo/hourly" && (r.time as Date).getTime() === Date.parse(`${day}T00:00:00+09:00`));
    expect(at(FAILED_DAY)?.value).toBe(3);
    expect(at(STALE_DAY)?.value).toBe(1);
    const failures = results.find((r) => r.panel.title === "Failed partitions")!;
    expect(failures.result.rows.some((r) => r.partition === `${FAILED_DAY}|9985-1` && /Html/i.test(String(r.error)))).toBe(true);
    const checks = results.find((r) => r.panel.title === "Failing asset checks")!;
    expect(checks.result.rows.length).toBeGreaterThan(0);
    for (const r of checks.result.rows) expect(String(r.message)).not.toBe("");
    const share = results.find((r) => r.panel.title === "Filled vs measured per plant")!;
    expect(share.result.rows.find((r) => r.plant === gapLabel)).toMatchObject({ filled_hours: GAP_HOURS.length });
    const runs = results.find((r) => r.panel.title === "Last run per flow")!;
    expect(runs.result.rows.some((r) => r.flow === "backfill" && r.last_success_at !== null)).toBe(true);
  });

  it("days are KST days whatever the session zone; hours are whole hours", async () => {
    const range = defaultRange(pvOverview);
    const variables = await resolveVariables(reader, pvOverview, range);
    const daily = expandDashboard(pvOverview, variables, range).find((t) => t.panel.title.startsWith("Daily") && t.target.refId === "A")!;
    const inUtc = await run(reader, daily.sql);
    await reader.unsafe("set time zone 'America/New_York'");
    const inNy = await run(reader, daily.sql);
    await reader.unsafe("set time zone 'UTC'");
    expect(inNy.rows).toEqual(inUtc.rows);
    for (const r of inUtc.rows) expect(((r.time as Date).getTime() / 3_600_000) % 24, "KST midnight = 15:00 UTC").toBe(15);
    const hourly = expandDashboard(pvOverview, variables, range).find((t) => t.panel.title.startsWith("Hourly") && t.target.refId === "A")!;
    for (const r of (await run(reader, hourly.sql)).rows) expect(Number(r.time) % 3600).toBe(0);
  });

  it("measured and filled are distinct series: the filled hours appear only as “<plant> (filled)”", async () => {
    const { results } = await problemsOf(pvOverview, { plant: [`kospo:${GAP_UNIT!.id}`] });
    const hourly = results.find((r) => r.panel.title.startsWith("Hourly"))!.result.rows;
    const gapTimes = GAP_HOURS.map((h) => at(GAP_DAY, h).getTime() / 1000);
    const filled = hourly.filter((r) => r.metric === `${gapLabel} (filled)`).map((r) => Number(r.time));
    expect(gapTimes).toHaveLength(GAP_HOURS.length);
    expect(filled).toEqual(gapTimes);
    const measured = hourly.filter((r) => r.metric === gapLabel).map((r) => Number(r.time));
    expect(measured.length).toBeGreaterThan(0);
    for (const t of gapTimes) expect(measured).not.toContain(t);
    const daily = results.find((r) => r.panel.title.startsWith("Daily"))!.result.rows;
    expect(daily.filter((r) => r.metric === `${gapLabel} (filled)`).map((r) => (r.time as Date).getTime())).toEqual([Date.parse(`${GAP_DAY}T00:00:00+09:00`)]);
    const gapFilled = results.find((r) => r.panel.title === "Gap-filled energy")!.result.rows;
    expect(Number(gapFilled.find((r) => r.operator === "KOSPO 남부발전")!.filled_kwh)).toBeGreaterThanOrEqual(0);
  });
});

describe("KOEN quality as people see it (results per plant-day, freshness per cadence)", () => {
  it("every failing KOEN plant-day appears in “Failing asset checks” with its day, and in `pvpipe checks`", async () => {
    const range = defaultRange(dataHealth);
    // The truth, from the serving table: plant-days of a loaded KOEN month with fewer than 24 measured
    // hours (every unit with rows that month × every day with rows, as the source delivers them).
    const truth = await db.sql<{ day: string; unit: string }[]>`
      with m as (
        select distinct date_trunc('month', datetime at time zone 'Asia/Seoul')::date as month from namdong_generation
      ), u as (
        select distinct m.month, g.plant_name, g.hogi from m join namdong_generation g
          on g.datetime >= m.month::timestamp at time zone 'Asia/Seoul' and g.datetime < (m.month + interval '1 month') at time zone 'Asia/Seoul'
      ), d as (
        select distinct (datetime at time zone 'Asia/Seoul')::date as day from namdong_generation
      )
      select to_char(d.day, 'YYYY-MM-DD') as day, u.plant_name || '-' || u.hogi as unit
      from u join d on date_trunc('month', d.day)::date = u.month
      left join namdong_generation g on g.plant_name = u.plant_name and g.hogi = u.hogi
        and g.datetime >= d.day::timestamp at time zone 'Asia/Seoul' and g.datetime < (d.day + 1)::timestamp at time zone 'Asia/Seoul'
      where d.day::timestamp at time zone 'Asia/Seoul' between ${new Date(range.from)} and ${new Date(range.to)}
      group by 1, 2 having count(g.generation) < 24 order by 1, 2`;
    const want = truth.map((t) => `${t.day} ${t.unit}`);
    expect(new Set(truth.map((t) => t.day)).size, "failing plant-days on several days of one month partition").toBeGreaterThan(1);

    const { results } = await problemsOf(dataHealth, { asset: ["koen/hourly"] });
    const panel = results.find((r) => r.panel.title === "Failing asset checks")!;
    const shown = panel.result.rows.filter((r) => r.check_name === "completeness").map((r) => `${r.day} ${r.unit}`);
    expect(shown.sort()).toEqual(want);
    for (const r of panel.result.rows) expect(r.partition, "a KOEN partition is its month").toBe(`${String(r.day).slice(0, 7)}-01`);

    const listed = await runCli(["checks", "--since", "30d", "--asset", "koen/hourly", "--limit", "5000", "--db-url", pgUrl(db.resource)], cliEnv());
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.split("\n").filter((l) => / completeness /.test(l) && !/re-checked since/.test(l));
    for (const w of want) expect(lines.filter((l) => l.includes(` ${w} `)), w).toHaveLength(1);
    expect(lines).toHaveLength(want.length);
  });

  it("a loaded KOEN month is partial until the 10th, never missing, and not late before its deadline", async () => {
    const partial = Number(todayKst().slice(8, 10)) < 10;
    const expected = partial ? "partial (final after the 10th)" : "fresh";
    const [f] = await reader<{ state: string; hours_late: number; expected_partition: string }[]>`
      select state, hours_late, to_char(expected_partition, 'YYYY-MM-DD') as expected_partition from reporting.asset_freshness where asset = 'koen/hourly'`;
    expect(f).toEqual({ state: expected, hours_late: 0, expected_partition: addMonths(monthStart(todayKst()), -1) });
    const cli = await runCli(["check", "--asset", "koen/hourly", "--mode", "freshness", "--db-url", pgUrl(db.resource)], cliEnv());
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`0 failing (0 error, 0 warn) — ${expected}`);
    const { results } = await problemsOf(dataHealth, { asset: ["koen/hourly"] });
    const table = results.find((r) => r.panel.title === "Asset freshness")!;
    expect(table.result.rows.map((r) => [r.asset, r.state, Number(r.hours_late)])).toEqual([["koen/hourly", expected, 0]]);
  });
});
