// The date-sensitive paths at instants where calendars bite: the last hour of a year in KST, 00:10
// KST on the 1st and on the 10th of a month (KOEN's publication day), a leap day, and the real date
// of the run. At each: `pvpipe start --once` catches up the right window and the right KOEN month,
// a backfill of the current KOEN month loads exactly the days published so far, the schedules'
// next runs are the right ones, and every Grafana panel has rows of the shape it needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import { timeDimension } from "../../f/lib/assets/partitions.ts";
import { clockOffsetMs, parseInstant, setClock } from "../../f/lib/time/clock.ts";
import { addDays, addMonths, daysBetween, formatKst, monthStart, todayKst } from "../../f/lib/time/kst.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import { nextRun } from "../../src/cli/schedule_loop.ts";
import { DASHBOARDS } from "../../src/grafana/dashboards/index.ts";
import { becomeReader, dashboardProblems, partitionStatusBothWays, type Reader } from "../grafana/harness.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const INSTANTS: [string, string][] = [
  ["the last hour of a year", "2026-12-31T23:30:00+09:00"],
  ["00:10 on the 1st of a month", "2027-03-01T00:10:00+09:00"],
  ["00:10 on the 10th of a month", "2027-03-10T00:10:00+09:00"],
  ["a leap day", "2028-02-29T12:00:00+09:00"],
  // The one place a test reads the real clock, on purpose: the suite must also pass on the day it runs.
  ["the real date of this run", new Date(Date.now()).toISOString()],
];
const SUITE_NOW = process.env.PVPIPE_NOW!;

/** KST calendar fields of an instant, computed by hand (not by the code under test). */
function kst(instant: string) {
  const d = new Date(parseInstant(instant).getTime() + 9 * 3_600_000);
  const iso = d.toISOString().slice(0, 10);
  return { iso, day: d.getUTCDate(), minutes: d.getUTCHours() * 60 + d.getUTCMinutes(), month: iso.slice(0, 7) };
}

describe.each(INSTANTS)("at %s (%s)", (_name, instant) => {
  const today = kst(instant);
  const yesterday = addDays(today.iso, -1);
  const thisMonth = `${today.month}-01`;
  const prevMonth = addMonths(thisMonth, -1);
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let start: { code: number | null; out: string };

  beforeAll(async () => {
    setClock(instant);
    db = await createTestDb(); // its connections carry this instant's clock
    env = cliEnv(); // the children share this instant's timeline
    const r = await runCli(["start", "--once", "--days", "2", "--db-url", pgUrl(db.resource)], env, 480_000);
    start = { code: r.code, out: r.stdout + r.stderr };
  }, 600_000);
  afterAll(async () => {
    setClock(SUITE_NOW);
    await db?.drop();
  });

  it("start --once catches up the two days before today (KST) and the last complete KOEN month", async () => {
    expect(start.code, start.out).toBe(0);
    expect(start.out).toContain(`catch-up: every missing or failed partition from ${addDays(today.iso, -2)} to ${yesterday}`);
    expect(start.out).toContain(`catch-up: KOEN month ${prevMonth.slice(0, 7)} if missing, failed or partial`);
    expect(start.out).toMatch(/kospo\/hourly\s+██\s+materialized 36, stale 0, failed 0, missing 0 of 36/);
    const [k] = await db.sql<{ units: number; rows: number; first: string; last: string }[]>`
      select count(distinct (plant_name, hogi))::int as units, count(*)::int as rows,
             to_char(min(datetime) at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as first,
             to_char(max(datetime) at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as last
      from namdong_generation`;
    const days = daysBetween(prevMonth, thisMonth);
    expect(k.units).toBeGreaterThan(0);
    expect(k).toEqual({ units: k.units, rows: k.units * days * 24, first: `${prevMonth} 00:00`, last: `${addDays(thisMonth, -1)} 23:00` });
  });

  it("a backfill of the current KOEN month loads exactly the days published so far (none on the 1st)", async () => {
    const published = today.day - 1; // days of this month up to yesterday
    const end = published > 0 ? yesterday : today.iso; // on the 1st nothing of this month is out yet
    const r = await runCli(["backfill", "--source", "koen", "--start", thisMonth, "--end", end, "--db-url", pgUrl(db.resource)], env, 300_000);
    const [{ units }] = await db.sql<{ units: number }[]>`select count(*)::int as units from namdong_plants`;
    const [{ rows }] = await db.sql<{ rows: number }[]>`
      select count(*)::int as rows from namdong_generation where datetime >= ${`${thisMonth} 00:00+09`}::timestamptz`;
    expect({ code: r.code, rows }).toEqual({ code: published > 0 ? 0 : 2, rows: units * published * 24 });
    expect(r.stdout + r.stderr).toMatch(published > 0 ? `partial (month not over: fetched up to ${yesterday})` : `later than yesterday (${yesterday} KST)`);
  });

  it("the schedules' next runs are the next 09:00 / 09:30 KST and the next 10th at 10:00 KST", () => {
    const at = (iso: string, hm: string) => `${iso} ${hm}`;
    const daily = (hm: string, minutes: number) => at(today.minutes < minutes ? today.iso : addDays(today.iso, 1), hm);
    const tenth = today.day < 10 || (today.day === 10 && today.minutes < 600) ? `${today.month}-10` : `${addMonths(thisMonth, 1).slice(0, 7)}-10`;
    const want: Record<string, string> = { daily_weather: daily("09:00", 540), daily_nambu: daily("09:30", 570), monthly_namdong: at(tenth, "10:00") };
    expect(SCHEDULES.map((s) => s.id).sort()).toEqual(Object.keys(want).sort());
    for (const s of SCHEDULES) expect([s.id, formatKst(nextRun(s)!)]).toEqual([s.id, want[s.id]]);
  });

  it("every Grafana panel has rows of the shape it needs, and partition status agrees with `pvpipe status`", async () => {
    expect(todayKst()).toBe(today.iso); // the in-process clock is this instant's
    const reader: Reader = await db.sql.reserve();
    try {
      await becomeReader(reader);
      await reader.unsafe(`set pvpipe.clock_offset = '${clockOffsetMs() ?? 0} milliseconds'`);
      // A healthy catch-up has no failed partition to list; every other panel must have rows.
      for (const d of DASHBOARDS) expect([d.uid, (await dashboardProblems(reader, d, {}, undefined, ["Failed partitions"])).problems]).toEqual([d.uid, []]);
      for (const asset of ASSETS) {
        const monthly = timeDimension(asset.partitions)?.kind === "monthly";
        const from = monthly ? addMonths(thisMonth, -2) : addDays(yesterday, -5);
        const to = monthly ? addDays(thisMonth, -1) : yesterday;
        const { cli, grafana } = await partitionStatusBothWays(db.sql, reader, asset, from, to);
        expect([asset.key, grafana]).toEqual([asset.key, cli.counts]);
      }
    } finally {
      reader.release();
    }
  });
});

it("covers the instants the calendar can break on", () => {
  expect(INSTANTS.map(([, t]) => kst(t).iso)).toEqual(expect.arrayContaining(["2026-12-31", "2027-03-01", "2027-03-10", "2028-02-29"]));
  expect(monthStart(kst(INSTANTS[0][1]).iso)).toBe("2026-12-01");
});
