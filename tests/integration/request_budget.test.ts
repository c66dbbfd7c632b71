// Issue #18, "spend the daily quota on data": a backfill given --max-requests N asks the source
// exactly N times and stops as on a quota stop; a backfill stopped by the quota or by its budget is
// continued by the source's next scheduled run (the flow the schedule runs), after its own days,
// within the backfill's budget, and that run's report says so. Requests are counted at the simulator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { flowById } from "../../flows/index.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import { runFlow, type EngineOptions } from "../../src/flow/engine.ts";
import { setClock } from "../../f/lib/time/clock.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor } from "../helpers/engine.ts";
import { engineWithWeather } from "../helpers/engine_asos.ts";
import { startAsosSim } from "../../src/simulators/asos.ts";
import { expectEvery } from "../helpers/expect_every.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { SIM_SLACK_TOKEN, startSlackSim } from "../helpers/slack_stub.ts";

const SUITE_NOW = process.env.PVPIPE_NOW ?? "2026-12-06T10:00:00+09:00";
// The suite's clock decides which day it is; these stories run on the days after it.
const today = () => SUITE_NOW.slice(0, 10);
const dayAfter = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const UNITS_WITH_DATA = 18; // the simulator's KOSPO units (data/plants.csv with coordinates)

const sims: { close(): Promise<void> }[] = [];
const dbs: TestDb[] = [];
async function sim(opts: Parameters<typeof startKospoSim>[0]): Promise<KospoSim> {
  const s = await startKospoSim(opts);
  sims.push(s);
  return s;
}
async function freshDb(): Promise<TestDb> {
  const db = await createTestDb();
  dbs.push(db);
  return db;
}
afterEach(async () => {
  setClock(SUITE_NOW);
  await Promise.all(sims.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

const schedule = SCHEDULES.find((s) => s.id === "daily_nambu")!;
const scheduledFlow = flowById(schedule.flow)!;
/** The schedule's flow at 09:30 KST of `day`, against a simulator whose quota is fresh that day. */
async function scheduledRun(db: TestDb, day: string, opts: { engine?: (e: EngineOptions) => EngineOptions; args?: Record<string, unknown> } = {}) {
  setClock(`${day}T09:30:00+09:00`);
  const s = await sim({ today: day });
  const e = engineFor(db, s.url);
  const r = await runFlow(scheduledFlow, { ...schedule.args, slack: false, ...opts.args }, opts.engine ? opts.engine(e) : e);
  return { r, s, report: r.results.report as RunReport };
}
const asked = (s: KospoSim, month: string) => s.log.filter((l) => l.query.strSdate.startsWith(month));
const unitDays = async (db: TestDb, asset: string, month: string) =>
  db.sql<{ partition: string }[]>`select partition from ops.asset_partitions where asset = ${asset} and partition like ${`${month}-%`} and status <> 'failed'`;
const rawUnitDays = (db: TestDb, month: string) => unitDays(db, "kospo/raw", month);

describe("--max-requests", () => {
  it("stops the backfill at exactly N requests, as on a quota stop, and remembers it unfinished", async () => {
    const db = await freshDb();
    const s = await sim({ today: today() });
    const r = await runFlow(backfill, { source: "kospo", start: "2024-03-01", end: "2024-03-31", parallelism: 4, max_requests: 7 }, engineFor(db, s.url));
    expect(r.status).toBe("failed");
    expect(r.error?.name).toBe("RequestBudgetSpent");
    expect(r.error?.message).toMatch(/7 requests/);
    expect(s.requests).toBe(7); // the 18 unit-months needed more
    expect(s.log).toHaveLength(7);
    const [run] = await db.sql`select status, error from ops.runs where run_id = ${r.runId}`;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/^RequestBudgetSpent: /);
    const [budget] = await db.sql`select max_requests, used, stopped from ops.request_budgets where budget_id = ${r.runId}`;
    expect(budget).toEqual({ max_requests: 7, used: 7, stopped: "budget" });
    const [unfinished] = await db.sql`select source, max_requests, stopped_by, finished_at from ops.unfinished_backfills where run_id = ${r.runId}`;
    expect(unfinished).toEqual({ source: "kospo", max_requests: 7, stopped_by: "budget", finished_at: null });
    // the days fetched before the stop are kept
    expect((await rawUnitDays(db, "2024-03")).length).toBeGreaterThan(0);
  });

  it("on the command line: exactly N requests, exit 1 and the resume command; bad values are usage errors", async () => {
    const db = await freshDb();
    const s = await sim({ today: today() });
    const env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: s.url });
    const base = ["backfill", "--source", "kospo", "--start", "2024-09-01", "--end", "2024-09-30"];
    for (const [extra, message] of [
      [["--max-requests", "0"], /--max-requests must be a whole number of requests ≥ 1/],
      [["--max-requests", "2.5"], /--max-requests must be a whole number of requests ≥ 1/],
      [["--max-requests", "many"], /--max-requests must be a whole number of requests ≥ 1/],
      [["--source", "koen", "--max-requests", "5"], /--max-requests applies to the data.go.kr sources/],
    ] as const) {
      const bad = await runCli([...base, ...extra], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    }
    const [{ runs }] = await db.sql`select count(*)::int as runs from ops.runs`;
    expect(runs).toBe(0);
    expect(s.requests).toBe(0);

    const r = await runCli([...base, "--max-requests", "5"], env);
    expect(r.code).toBe(1);
    expect(s.requests).toBe(5);
    expect(r.stderr).toMatch(/RequestBudgetSpent: the run's request budget of 5 requests/);
    expect(r.stdout).toContain("resume with: pvpipe backfill --source kospo --start 2024-09-01 --end 2024-09-30 --policy missing+failed --max-requests 5");
  });
});

describe("ASOS (the other data.go.kr source)", () => {
  it("--max-requests stops an ASOS backfill at exactly N requests; daily_weather continues it the next day within N", async () => {
    const db = await freshDb();
    const first = await startAsosSim({ today: today() });
    sims.push(first);
    const input = { source: "asos", start: "2024-01-01", end: "2024-04-30", stations: [108], max_requests: 2 };
    const stopped = await runFlow(backfill, input, engineWithWeather(db, { asos: first.url }));
    expect(stopped.error?.name).toBe("RequestBudgetSpent");
    expect(first.requests).toBe(2); // 4 chunks of one station, each at least one request
    const [u] = await db.sql`select source, max_requests, stopped_by from ops.unfinished_backfills where run_id = ${stopped.runId}`;
    expect(u).toEqual({ source: "asos", max_requests: 2, stopped_by: "budget" });

    const weather = SCHEDULES.find((s) => s.id === "daily_weather")!;
    const asked2024 = (s: { log: { query: Record<string, string> }[] }) => s.log.filter((l) => l.query.startDt.startsWith("2024"));
    let finished = false;
    for (let i = 1; i <= 3 && !finished; i++) {
      const day = dayAfter(today(), i);
      setClock(`${day}T09:00:00+09:00`);
      const s = await startAsosSim({ today: day });
      sims.push(s);
      const r = await runFlow(flowById(weather.flow)!, { ...weather.args, slack: false, lookback_days: 1, station_set: "mapped" }, engineWithWeather(db, { asos: s.url }));
      expect(r.status).toBe("success");
      const c = (r.results.report as RunReport).continued ?? [];
      expect(c).toEqual([expect.objectContaining({ run_id: stopped.runId, max_requests: 2, requests: asked2024(s).length })]);
      expect(asked2024(s).length).toBeLessThanOrEqual(2);
      finished = c[0].finished;
    }
    expect(finished).toBe(true);
    const [{ hours }] = await db.sql`select count(*)::int as hours from weather_asos where stn_id = 108 and datetime >= '2024-01-01 00:00+09' and datetime < '2024-05-01 00:00+09'`;
    expect(hours).toBe(121 * 24);
  });
});

describe("the next scheduled run continues a stopped backfill", () => {
  it("a quota-stopped backfill: continued to the end after the run's own days, and the report says so", async () => {
    const db = await freshDb();
    const limited = await sim({ today: today(), quotaAfter: 10 });
    const stopped = await runFlow(backfill, { source: "kospo", start: "2024-06-01", end: "2024-06-30", parallelism: 2 }, engineFor(db, limited.url));
    expect(stopped.status).toBe("failed");
    expect(stopped.error?.name).toBe("QuotaExceeded");
    const fetchedBefore = new Set((await rawUnitDays(db, "2024-06")).map((p) => p.partition));
    expect(fetchedBefore.size).toBeGreaterThan(0);
    expect(fetchedBefore.size).toBeLessThan(UNITS_WITH_DATA * 30);
    // days fetched by a chunk the stop interrupted are in raw, not yet in the hourly asset
    const loadedBefore = (await unitDays(db, "kospo/hourly", "2024-06")).length;

    // The same day the quota is spent: the schedule's run leaves the backfill alone.
    const sameDay = await sim({ today: today() });
    const again = await runFlow(scheduledFlow, { ...schedule.args, slack: false }, engineFor(db, sameDay.url));
    expect(again.error).toBeUndefined();
    expect(again.status).toBe("success");
    expect((again.results.report as RunReport).continued).toEqual([]);
    expect(asked(sameDay, "202406")).toEqual([]);

    const slack = await startSlackSim();
    sims.push(slack);
    const nextDay = dayAfter(today(), 1);
    const { r, s, report } = await scheduledRun(db, nextDay, {
      args: { slack: true },
      engine: (e) => ({ ...e, resources: { ...e.resources, slack: { token: SIM_SLACK_TOKEN, channel: "#pv", webhook_url: "", api_url: slack.apiUrl } } }),
    });
    expect(r.status).toBe("success");
    expect(report.status).toBe("success");
    // its own days first (the 8-day window up to yesterday), then the backfill
    const firstContinued = s.log.findIndex((l) => l.query.strSdate.startsWith("202406"));
    expect(firstContinued).toBeGreaterThan(0);
    expectEvery(s.log.slice(0, firstContinued), (l) => l.query.strSdate >= dayAfter(nextDay, -8).replaceAll("-", ""));
    expectEvery(s.log.slice(firstContinued), (l) => l.query.strSdate.startsWith("202406") || l.query.strSdate.startsWith("202407"));
    // nothing fetched before the stop is asked again
    const june = asked(s, "202406");
    const stillAskedDays = new Set(june.filter((l) => l.query.strSdate === l.query.strEdate).map((l) => `${l.query.strSdate}|${l.query.strOrgCd}-${l.query.strHoki}`));
    for (const p of fetchedBefore) {
      const [day, unit] = p.split("|");
      expect(stillAskedDays.has(`${day.replaceAll("-", "")}|${unit}`)).toBe(false);
    }
    expect(report.continued).toEqual([
      { run_id: stopped.runId, start: "2024-06-01", end: "2024-06-30", plant: null, unit: null, requests: june.length, max_requests: null, partitions: UNITS_WITH_DATA * 30 - loadedBefore, stopped: null, finished: true },
    ]);
    const [{ rows }] = await db.sql`select count(*)::int as rows from nambu_generation where datetime >= '2024-06-01 00:00+09' and datetime < '2024-07-01 00:00+09'`;
    expect(rows).toBe(UNITS_WITH_DATA * 30 * 24);
    const [{ own }] = await db.sql`select count(*)::int as own from nambu_generation where datetime >= ${`${dayAfter(nextDay, -8)} 00:00+09`}::timestamptz and datetime < ${`${nextDay} 00:00+09`}::timestamptz`;
    expect(own).toBe(UNITS_WITH_DATA * 8 * 24);
    const [u] = await db.sql`select finished_by from ops.unfinished_backfills where run_id = ${stopped.runId}`;
    expect(u.finished_by).toBe(r.runId);
    const text = slack.requests.map((q) => String(q.body.text ?? "")).join("\n");
    expect(text).toContain(`continued backfill ${stopped.runId} 2024-06-01 – 2024-06-30: ${june.length} requests, ${UNITS_WITH_DATA * 30 - loadedBefore} partitions planned; finished`);

    // Finished: the day after, nothing is continued.
    const after = await scheduledRun(db, dayAfter(nextDay, 1));
    expect(after.report.continued).toEqual([]);
    expect(asked(after.s, "202406")).toEqual([]);
  });

  it("a budget-stopped backfill: continued each day within its --max-requests until finished", async () => {
    const db = await freshDb();
    const budget = 7;
    const first = await sim({ today: today() });
    const stopped = await runFlow(backfill, { source: "kospo", start: "2024-03-01", end: "2024-03-31", parallelism: 4, max_requests: budget }, engineFor(db, first.url));
    expect(stopped.error?.name).toBe("RequestBudgetSpent");
    expect(first.requests).toBe(budget);

    const perDay: number[] = [];
    let day = today();
    for (let i = 0; i < 8; i++) {
      day = dayAfter(day, 1);
      const { r, s, report } = await scheduledRun(db, day);
      expect(r.status).toBe("success");
      const march = asked(s, "202403");
      perDay.push(march.length);
      expect(report.continued).toHaveLength(1);
      const c = report.continued![0];
      expect(c).toMatchObject({ run_id: stopped.runId, max_requests: budget, requests: march.length });
      // the budget is honoured exactly: never more, and a continuation it stopped spent all of it
      expect(march.length).toBeLessThanOrEqual(budget);
      expect({ stopped: c.stopped, spent: march.length }).toEqual(c.stopped === "budget" ? { stopped: "budget", spent: budget } : { stopped: null, spent: c.requests });
      if (i === 0) {
        // a second scheduled run the same day does not spend the backfill's share again
        const later = await sim({ today: day });
        const rerun = await runFlow(scheduledFlow, { ...schedule.args, slack: false }, engineFor(db, later.url));
        expect((rerun.results.report as RunReport).continued).toEqual([]);
        expect(asked(later, "202403")).toEqual([]);
      }
      if (c.finished) break;
    }
    const [u] = await db.sql`select finished_at is not null as finished from ops.unfinished_backfills where run_id = ${stopped.runId}`;
    expect(u.finished).toBe(true);
    expect(perDay.length).toBeGreaterThan(1); // it took more than one day's budget
    expect(perDay[0]).toBe(budget); // the first day's continuation spent exactly its budget
    const [{ rows }] = await db.sql`select count(*)::int as rows from nambu_generation where datetime >= '2024-03-01 00:00+09' and datetime < '2024-04-01 00:00+09'`;
    expect(rows).toBe(UNITS_WITH_DATA * 31 * 24);
  });

  it("two stopped backfills of the same days: the older takes them, nothing is asked twice, the younger finishes the next day", async () => {
    const db = await freshDb();
    const stopped = async (runId: string, start: string, end: string, startedAt: string) => {
      const inputs = { source: "kospo", start, end, plant: "9985", unit: 0, policy: "missing" };
      await db.sql`insert into ops.runs (run_id, flow, engine, inputs, status, started_at) values (${runId}, 'backfill', 'local', ${db.sql.json(inputs)}, 'failed', ${startedAt})`;
      await db.sql`
        insert into ops.unfinished_backfills (run_id, source, inputs, max_requests, stopped_by, stopped_at)
        values (${runId}, 'kospo', ${db.sql.json(inputs)}, null, 'quota', ${startedAt})`;
    };
    await stopped("older", "2024-05-01", "2024-05-10", `${today()}T08:00:00+09:00`);
    await stopped("younger", "2024-05-05", "2024-05-15", `${today()}T09:00:00+09:00`);

    const first = await scheduledRun(db, dayAfter(today(), 1));
    const may = asked(first.s, "202405").map((l) => `${l.query.strSdate}-${l.query.strEdate}`);
    expect(may[0]).toBe("20240501-20240510");
    expect(may.filter((q) => q >= "20240511")).toEqual([]); // the younger's other days wait
    expect(first.report.continued?.map((c) => [c.run_id, c.partitions, c.finished])).toEqual([
      ["older", 10, true],
      ["younger", 0, false],
    ]);

    const second = await scheduledRun(db, dayAfter(today(), 2));
    expect(asked(second.s, "202405").map((l) => `${l.query.strSdate}-${l.query.strEdate}`)[0]).toBe("20240511-20240515");
    expect(second.report.continued?.map((c) => [c.run_id, c.partitions, c.finished])).toEqual([["younger", 5, true]]);
    const [{ rows }] = await db.sql`select count(*)::int as rows from nambu_generation where gencd = '9985' and datetime >= '2024-05-01 00:00+09' and datetime < '2024-05-16 00:00+09'`;
    expect(rows).toBe(15 * 24);
  });
});
