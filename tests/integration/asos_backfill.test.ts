// ASOS end to end through the flow engine: backfill (and daily_weather) → raw → stage → weather_asos,
// joined to KOSPO generation in pv_weather_hourly; idempotent re-runs, NULL preservation, quota and
// key outcomes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { dailyWeather } from "../../flows/daily_weather.ts";
import { runFlow } from "../../src/flow/engine.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineWithWeather } from "../helpers/engine_asos.ts";
import { asosSimDay, startAsosSim, type AsosSim } from "../../src/simulators/asos.ts";
import { startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { expectEvery } from "../helpers/expect_every.ts";

let db: TestDb;
let kospo: KospoSim;
let asos: AsosSim;
const START = "2024-06-01";
const END = "2024-06-03";

beforeAll(async () => {
  db = await createTestDb();
  kospo = await startKospoSim({});
  asos = await startAsosSim({});
});
afterAll(async () => {
  await kospo?.close();
  await asos?.close();
  await db?.drop();
});

const engine = (asosUrl = asos.url, asosKey?: string) => engineWithWeather(db, { kospo: kospo.url, asos: asosUrl }, { asosKey });
const weather = (over: Record<string, unknown> = {}) => ({ source: "asos", start: START, end: END, ...over });

async function mappedStations(): Promise<number[]> {
  const rows = await db.sql<{ s: number }[]>`
    select distinct s from plant_station, lateral (values (stn_id), (solar_stn_id)) v(s) where s is not null order by 1`;
  return rows.map((r) => r.s);
}

describe("ASOS backfill end to end", () => {
  it("loads every hour of every mapped station with the simulator's exact values, '' as NULL", async () => {
    const pv = await runFlow(backfill, { source: "kospo", start: START, end: END }, engine());
    expect(pv.status).toBe("success");
    const r = await runFlow(backfill, weather(), engine());
    expect(r.status).toBe("success");
    const stations = await mappedStations();
    expect(stations.length).toBeGreaterThan(5);
    const plan = r.results.plan as { chunks: { pdim: string }[]; partitions: number };
    expect(plan.chunks.map((c) => Number(c.pdim)).sort((a, b) => a - b)).toEqual(stations);
    expect(plan.partitions).toBe(stations.length * 3);
    const report = r.results.report as RunReport;
    expect(report.status).toBe("success");
    expect(report.assets.find((a) => a.asset === "asos/hourly")).toMatchObject({ success: stations.length * 3, failed: 0, rows: stations.length * 72 });
    expect(report.assets.find((a) => a.asset === "asos/raw")).toMatchObject({ success: stations.length * 3, failed: 0 });

    const stn = stations[0];
    const rows = await db.sql<Record<string, unknown>[]>`
      select to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as tm, station_name, ta, hm, rn, ws, wd, pa, ps, td, ss, icsr, dc10_tca
      from weather_asos where stn_id = ${stn} and datetime >= '2024-06-02 00:00+09' and datetime < '2024-06-03 00:00+09' order by datetime`;
    const sim = asosSimDay(stn, "2024-06-02");
    expect(rows.map((x) => x.tm)).toEqual(sim.map((s) => s.tm));
    for (const [i, s] of sim.entries()) {
      for (const [col, field] of [["ta", "ta"], ["hm", "hm"], ["rn", "rn"], ["ws", "ws"], ["wd", "wd"], ["pa", "pa"], ["ps", "ps"], ["td", "td"], ["ss", "ss"], ["icsr", "icsr"], ["dc10_tca", "dc10Tca"]] as const) {
        expect(rows[i][col], `${s.tm} ${col}`).toBe(s[field] === "" ? null : Number(s[field]));
      }
      expect(rows[i].station_name).toBe(s.stnNm);
    }
    // Night radiation is "" at the source and stays NULL (never 0).
    const [night] = await db.sql`select count(*)::int as n, count(icsr)::int as with_icsr from weather_asos
      where extract(hour from datetime at time zone 'Asia/Seoul') between 0 and 3`;
    expect(night.n).toBeGreaterThan(0);
    expect(night.with_icsr).toBe(0);
  }, 180_000);

  it("pv_weather_hourly has rows for every plant with coordinates, aligned on interval start", async () => {
    const [{ plants }] = await db.sql`select count(*)::int as plants from nambu_plants where latitude is not null`;
    const joined = await db.sql<{ plant_code: string; hogi: number; n: number; with_ta: number; with_icsr: number }[]>`
      select plant_code, hogi, count(*)::int as n, count(ta)::int as with_ta, count(icsr)::int as with_icsr
      from pv_weather_hourly where operator = 'kospo' group by 1, 2`;
    expect(joined.length).toBe(plants);
    for (const j of joined) {
      expect(j.n).toBe(72);
      expect(j.with_ta).toBeGreaterThanOrEqual(69); // the last hour of the window joins tm = END+1 00:00, not loaded; rare sensor gaps
      expect(j.with_icsr).toBeGreaterThan(20); // daytime hours
    }
    // PV interval [T, T+1h) ↔ the observation at tm = T + 1 h (icsr accumulated over the hour ending at tm).
    const [row] = await db.sql`
      select v.generation, v.icsr, v.ta, v.stn_id, v.solar_stn_id, v.weather_tm
      from pv_weather_hourly v where v.operator = 'kospo' and v.plant_code = '9985' and v.hogi = 1
        and v.datetime = '2024-06-02 11:00+09'`;
    expect(row.weather_tm).toEqual(new Date("2024-06-02T12:00:00+09:00"));
    const [obs] = await db.sql`select icsr from weather_asos where stn_id = ${row.solar_stn_id} and datetime = '2024-06-02 12:00+09'`;
    const [inst] = await db.sql`select ta from weather_asos where stn_id = ${row.stn_id} and datetime = '2024-06-02 12:00+09'`;
    expect(row.icsr).toBe(obs.icsr);
    expect(row.ta).toBe(inst.ta);
    const [gen] = await db.sql`select generation from nambu_generation where gencd = '9985' and hogi = 1 and datetime = '2024-06-02 11:00+09'`;
    expect(row.generation).toBe(gen.generation);
  });

  it("generation follows radiation in the joined view (simulators share one cloudiness field)", async () => {
    const rows = await db.sql<{ plant_code: string; r: number | null; r_shifted: number | null }[]>`
      select plant_code, corr(generation, icsr) as r,
             corr(generation, icsr_prev) as r_shifted
      from (select plant_code, hogi, generation, icsr,
                   lag(icsr) over (partition by plant_code, hogi order by datetime) as icsr_prev
            from pv_weather_hourly where operator = 'kospo' and not (plant_code = '997S' and hogi = 1)) x
      group by plant_code, hogi`;
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.r, r.plant_code).toBeGreaterThan(0.9);
      // The chosen alignment is the right one: one hour off correlates worse.
      expect(r.r!, r.plant_code).toBeGreaterThan(r.r_shifted ?? 0);
    }
  });

  it("a second identical backfill changes no row, even when everything is fetched again", async () => {
    const before = await db.sql`select stn_id, datetime, xmin::text as x from weather_asos order by 1, 2`;
    const again = await runFlow(backfill, weather(), engine());
    expect((again.results.plan as { partitions: number }).partitions).toBe(0);
    const requests = asos.requests;
    const forced = await runFlow(backfill, weather({ policy: "all" }), engine());
    expect(forced.status).toBe("success");
    expect(asos.requests).toBeGreaterThan(requests); // 'all' re-fetches from the source
    const ingests = (forced.results.chunks as { inserted: number; updated: number; unchanged: number }[][]).flat();
    expect(ingests.length).toBeGreaterThan(0);
    expect(ingests.reduce((n, c) => n + c.inserted + c.updated, 0)).toBe(0);
    expect(ingests.reduce((n, c) => n + c.unchanged, 0)).toBe(before.length);
    const after = await db.sql`select stn_id, datetime, xmin::text as x from weather_asos order by 1, 2`;
    expect(after).toEqual(before);
  }, 180_000);

  it("a re-fetch that lacks icsr keeps the stored icsr (never erased with NULL)", async () => {
    const noIcsr = await startAsosSim({ blank: (_stn, _tm, field) => field === "icsr" || field === "ta" });
    try {
      const [before] = await db.sql`select count(icsr)::int as icsr, count(ta)::int as ta, sum(icsr) as s from weather_asos`;
      expect(before.icsr).toBeGreaterThan(0);
      const r = await runFlow(backfill, weather({ policy: "all" }), engine(noIcsr.url));
      expect(r.status).toBe("success");
      const [raw] = await db.sql`select count(*)::int as n from raw.asos_items r, jsonb_array_elements(r.items) it
        where r.run_id = ${r.runId} and it->>'icsr' = ''`;
      expect(raw.n).toBeGreaterThan(0); // the payload really had no icsr
      const [after] = await db.sql`select count(icsr)::int as icsr, count(ta)::int as ta, sum(icsr) as s from weather_asos`;
      expect(after).toEqual(before);
      const ingests = (r.results.chunks as { updated: number }[][]).flat();
      expect(ingests.reduce((n, c) => n + c.updated, 0)).toBe(0);
    } finally {
      await noIcsr.close();
    }
  }, 180_000);

  it("--station limits the plan to the given stations; unknown stations are refused before any fetch", async () => {
    const r = await runFlow(backfill, weather({ stations: [108, 255], start: "2024-05-30", end: "2024-05-31" }), engine());
    expect(r.status).toBe("success");
    const plan = r.results.plan as { chunks: { pdim: string }[] };
    expect(plan.chunks.map((c) => c.pdim).sort()).toEqual(["108", "255"]);
    const requests = asos.requests;
    const bad = await runFlow(backfill, weather({ stations: [108, 999] }), engine());
    expect(bad.status).toBe("failed");
    expect(bad.error?.name).toBe("UnknownStation");
    expect(bad.error?.message).toMatch(/999/);
    expect(asos.requests).toBe(requests);
  });

  it("asking for today is a usage error, not a failure", async () => {
    const { todayKst } = await import("../../f/lib/time/kst.ts");
    const today = todayKst();
    await expect(runFlow(backfill, weather({ start: today, end: today }), engine())).resolves.toMatchObject({
      status: "failed",
      error: expect.objectContaining({ name: "InvalidPlanRequest", message: expect.stringMatching(/publishes data up to yesterday/) }),
    });
  });
});

describe("ASOS gateway outcomes through the flow", () => {
  it("quota (reason 22) stops the run cleanly: no retries burned, fetched days kept, a rerun resumes", async () => {
    const limited = await startAsosSim({ quotaAfter: 2 });
    try {
      const input = weather({ stations: [90, 93, 95, 98, 99, 100], start: "2024-05-01", end: "2024-05-02", parallelism: 1 });
      const r = await runFlow(backfill, input, engine(limited.url));
      expect(r.status).toBe("failed");
      expect(r.error?.name).toBe("QuotaExceeded");
      expect(r.error?.message).toMatch(/ASOS_API_KEY/);
      const quotaAnswers = limited.log.filter((l) => l.answer === "gateway-22").length;
      expect(quotaAnswers).toBe(1); // the step is not retried, the flow stops at once
      const [kept] = await db.sql`select count(*)::int as n from ops.asset_partitions
        where asset = 'asos/raw' and status = 'success' and partition like '2024-05-0_|%' and run_id = ${r.runId}`;
      expect(kept.n).toBe(4); // two requests = two stations × two days fetched before the quota stop
      const [run] = await db.sql`select status, error from ops.runs where run_id = ${r.runId}`;
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/QuotaExceeded/);
    } finally {
      await limited.close();
    }
    // Tomorrow: the same command loads only what is missing, reusing the stored payloads.
    const before = asos.requests;
    const resumed = await runFlow(backfill, weather({ stations: [90, 93, 95, 98, 99, 100], start: "2024-05-01", end: "2024-05-02", policy: "missing+failed" }), engine());
    expect(resumed.status).toBe("success");
    expect((resumed.results.report as RunReport).status).toBe("success");
    expect(asos.requests - before).toBe(4); // 4 stations were never fetched
    const [{ n }] = await db.sql`select count(*)::int as n from weather_asos where stn_id = any(${[90, 93, 95, 98, 99, 100]}::int[])
      and datetime >= '2024-05-01 00:00+09' and datetime < '2024-05-03 00:00+09'`;
    expect(n).toBe(6 * 48);
  });

  it("a rejected key (gateway XML under dataType=JSON) fails fast and names the variable", async () => {
    const before = asos.requests;
    const r = await runFlow(backfill, weather({ stations: [108, 112], start: "2024-04-01", end: "2024-04-02" }), engine(asos.url, "wrong-key"));
    expect(r.status).toBe("failed");
    expect(r.error?.name).toBe("ServiceKeyRejected");
    expect(r.error?.message).toMatch(/ASOS_API_KEY/);
    expect(r.error?.message).toMatch(/Encoding or the Decoding form/);
    expect(asos.requests - before).toBeLessThanOrEqual(2); // no retries
    expectEvery(asos.log.slice(before), (l) => l.answer === "gateway-30");
  });
});

describe("daily_weather", () => {
  it("loads D-1 for every station plus the missing days of the last week", async () => {
    const { yesterdayKst, addDays } = await import("../../f/lib/time/kst.ts");
    const d1 = yesterdayKst();
    const r = await runFlow(dailyWeather, { lookback_days: 2, parallelism: 16 }, engine());
    expect(r.status).toBe("success");
    const report = r.results.report as RunReport;
    expect(report.status).toBe("success");
    const [{ stations }] = await db.sql`select count(*)::int as stations from asos_stations`;
    expect(stations).toBe(95);
    expect(report.assets.find((a) => a.asset === "asos/hourly")).toMatchObject({ success: 95 * 2, failed: 0 });
    const [{ n }] = await db.sql`select count(distinct stn_id)::int as n from weather_asos
      where datetime >= ${`${d1} 00:00+09`}::timestamptz and datetime < ${`${addDays(d1, 1)} 00:00+09`}::timestamptz`;
    expect(n).toBe(95);
    const again = await runFlow(dailyWeather, { lookback_days: 2 }, engine());
    expect((again.results.plan as { partitions: number }).partitions).toBe(0);
  }, 300_000);
});
