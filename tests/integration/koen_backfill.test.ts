import { createHash } from "node:crypto";
import iconv from "iconv-lite";
import { Cron } from "croner";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KOEN_UNITS } from "../../f/lib/reference/plants_gen.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { addDays, addMonths, daysBetween, monthStart, todayKst, yesterdayKst } from "../../f/lib/time/kst.ts";
import { backfill } from "../../flows/backfill.ts";
import { monthlyNamdong } from "../../flows/monthly_namdong.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { koenEngineFor } from "../helpers/engine_koen.ts";
import { koenSimCsv, koenSimSummary, koenSimValue, startKoenSim, type KoenSim, type KoenSimOptions } from "../../src/simulators/koen.ts";
import { makeTestChain } from "../helpers/test_chain.ts";
import { meterGapLabels } from "../../src/simulators/meter_gaps.ts";

let db: TestDb;
const sims: KoenSim[] = [];
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await db?.drop();
});
async function sim(opts: KoenSimOptions = {}): Promise<KoenSim> {
  const s = await startKoenSim(opts);
  sims.push(s);
  return s;
}
const input = (start: string, end: string, over: Record<string, unknown> = {}) => ({ source: "koen", start, end, ...over });
const posts = (s: KoenSim) => s.log.filter((l) => l.method === "POST").map((l) => `${l.form.strDateS}-${l.form.strDateE}`);
const UNITS = KOEN_UNITS.length; // 23
const rowsOfMonths = (...days: number[]) => UNITS * 24 * days.reduce((a, b) => a + b, 0);

// Generous timeouts: each case downloads and loads whole months (seconds alone, more on a busy machine).
describe("KOEN backfill end to end", { timeout: 240_000 }, () => {
  let healthy: KoenSim;
  beforeAll(async () => {
    healthy = await sim();
  });

  it("loads whole calendar months, every hour of every known unit, at interval start with the site's exact values", async () => {
    const r = await runFlow(backfill, input("2024-05-10", "2024-06-20"), koenEngineFor(db, healthy.url));
    expect(r.status, r.error?.message).toBe("success");
    const plan = r.results.plan as { asset: string; partitions: number; chunks: { start: string; end: string }[] };
    expect(plan).toMatchObject({ asset: "koen/hourly", partitions: 2, chunks: [{ start: "2024-05-01", end: "2024-06-01" }] });
    const report = r.results.report as RunReport;
    expect(report.status).toBe("success");
    expect(report.assets.find((a) => a.asset === "koen/hourly")).toMatchObject({ success: 2, failed: 0, rows: rowsOfMonths(31, 30) });
    expect(report.assets.find((a) => a.asset === "koen/raw")).toMatchObject({ success: 2, failed: 0, rows: UNITS * 61 });
    // One month at a time, whole months, in order.
    expect(posts(healthy)).toEqual(["20240501-20240531", "20240601-20240630"]);

    const units = await db.sql<{ plant_name: string; hogi: number; n: number }[]>`
      select plant_name, hogi, count(*)::int as n from namdong_generation group by 1, 2 order by 1, 2`;
    expect(units.map((u) => `${u.plant_name}/${u.hogi}`).sort()).toEqual(KOEN_UNITS.map((u) => `${u.plant_name}/${u.hogi}`).sort());
    expect(new Set(units.map((u) => u.n))).toEqual(new Set([61 * 24]));
    // 발전구분 exactly as the source spells it: spacing kept, no _호기 suffix.
    expect(units.map((u) => u.plant_name)).toEqual(expect.arrayContaining(["영흥태양광 #3", "영흥태양광#5", "삼천포태양광#5", "고흥만 수상태양광"]));

    const day = await db.sql<{ h: number; hour: number; generation: number | null; daily_total: number | null; daily_max: number | null }[]>`
      select extract(hour from datetime at time zone 'Asia/Seoul')::int as h, hour, generation, daily_total, daily_max
      from namdong_generation where plant_name = '영흥태양광 #3' and hogi = 2
        and datetime >= '2024-06-03 00:00+09' and datetime < '2024-06-04 00:00+09' order by datetime`;
    expect(day.map((x) => x.h)).toEqual([...Array(24).keys()]);
    expect(day.map((x) => x.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const values = koenSimValue("영흥태양광 #3", 2, "2024-06-03");
    expect(day.map((x) => x.generation)).toEqual(values);
    expect(day[0].daily_total).toBe(koenSimSummary(values).total);
    // Label 24 is 23:00 of the same day (never 00:00 of the next).
    const [l24] = await db.sql`select to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') as t from namdong_generation
      where plant_name = '여수태양광' and hogi = 1 and hour = 24 and datetime >= '2024-05-31 00:00+09' and datetime < '2024-06-01 00:00+09'`;
    expect(l24.t).toBe("2024-05-31 23:00");

    // The exact bytes, their sha256 and the request are kept.
    const files = await db.sql<{ partition: string; body: Buffer; sha256: string; byte_length: number; request: Record<string, any>; partial: boolean; encoding: string; outcome: string; window_end: string }[]>`
      select partition, body, sha256, byte_length, request, partial, encoding, outcome, to_char(window_end, 'YYYY-MM-DD') as window_end
      from raw.koen_files order by id`;
    expect(files.map((f) => [f.partition, f.outcome, f.partial, f.encoding, f.window_end])).toEqual([
      ["2024-05-01", "data", false, "cp949", "2024-05-31"],
      ["2024-06-01", "data", false, "cp949", "2024-06-30"],
    ]);
    const expected = koenSimCsv({ start: "2024-06-01", end: "2024-06-30", orgNo: "", hokiS: "", hokiE: "" });
    expect(Buffer.compare(files[1].body, expected)).toBe(0);
    expect(files[1].sha256).toBe(createHash("sha256").update(expected).digest("hex"));
    expect(files[1].byte_length).toBe(expected.length);
    expect(files[1].request).toMatchObject({ method: "POST", form: { menuCd: "FN0912020217", strDateS: "20240601", strDateE: "20240630", ptSignature: "" }, cookies: ["JSESSIONID"] });
    expect(files[1].request.headers.Referer).toMatch(/\/kosep\/gv\/nf\/dt\/nfdt21\/main\.do\?.*strDateS=20240601&strDateE=20240630$/);
  });

  it("an empty cell of the download is stored as NULL, never 0", async () => {
    // Every unit-day of this month has a run of empty daytime cells (meter gaps); the truth is known.
    const gappy = await sim({ meterGaps: 1 });
    const r = await runFlow(backfill, input("2024-02-01", "2024-02-29"), koenEngineFor(db, gappy.url));
    expect(r.status, r.error?.message).toBe("success");
    const want = KOEN_UNITS.flatMap((u) =>
      Array.from({ length: 29 }, (_, i) => addDays("2024-02-01", i)).flatMap((d) => meterGapLabels(`${u.plant_name}-${u.hogi}`, d, 1).map((label) => `${u.plant_name}|${u.hogi}|${d}|${label - 1}`)),
    ).sort();
    const got = await db.sql<{ k: string }[]>`
      select plant_name || '|' || hogi || '|' || to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') || '|' || extract(hour from datetime at time zone 'Asia/Seoul')::int as k
      from namdong_generation where generation is null and datetime >= '2024-02-01 00:00+09' and datetime < '2024-03-01 00:00+09'`;
    expect(want.length).toBeGreaterThan(KOEN_UNITS.length * 29);
    expect(got.map((x) => x.k).sort()).toEqual(want);
    const [{ zeros }] = await db.sql`select count(*)::int as zeros from namdong_generation where generation = 0 and hour between 12 and 14
      and datetime >= '2024-02-01 00:00+09' and datetime < '2024-03-01 00:00+09'`;
    expect(zeros).toBe(0); // midday cells are either measured (> 0 in the simulator) or NULL
  });

  it("a second identical backfill changes no row, even when forced to download again", async () => {
    const before = await db.sql`select plant_name, hogi, datetime, xmin::text as x from namdong_generation order by 1, 2, 3`;
    const again = await runFlow(backfill, input("2024-05-01", "2024-06-30"), koenEngineFor(db, healthy.url));
    expect((again.results.plan as { partitions: number }).partitions).toBe(0);
    const n = posts(healthy).length;
    const forced = await runFlow(backfill, input("2024-05-01", "2024-06-30", { policy: "all" }), koenEngineFor(db, healthy.url));
    expect(forced.status).toBe("success");
    expect(posts(healthy).length).toBe(n + 2); // downloaded again
    const ingests = forced.results.chunks as { inserted: number; updated: number; unchanged: number }[];
    expect(ingests.reduce((s, c) => s + c.inserted + c.updated, 0)).toBe(0);
    expect(ingests.reduce((s, c) => s + c.unchanged, 0)).toBe(rowsOfMonths(31, 30));
    const after = await db.sql`select plant_name, hogi, datetime, xmin::text as x from namdong_generation order by 1, 2, 3`;
    expect(after).toEqual(before);
  });

  it("an HTML download fails its month loudly with the month named, and --policy failed fetches only that month", async () => {
    const broken = await sim({ htmlFor: (q) => q.start === "2024-08-01" });
    const r = await runFlow(backfill, input("2024-07-01", "2024-08-31"), koenEngineFor(db, broken.url));
    const report = r.results.report as RunReport;
    expect(report.status).toBe("partial");
    expect(report.failed_total).toBe(2);
    expect(report.failures.map((f) => [f.asset, f.partition])).toEqual([["koen/hourly", "2024-08-01"], ["koen/raw", "2024-08-01"]]);
    expect(report.failures[0].error).toMatch(/^SourceReturnedHtml: KOEN koenergy\.kr returned an HTML page instead of data \(HTTP 200\) for csvDown\.do strDateS=20240801 strDateE=20240831/);
    expect(report.assets.find((a) => a.asset === "koen/hourly")).toMatchObject({ success: 1, failed: 1 });
    const [run] = await db.sql`select status from ops.runs where run_id = ${r.runId}`;
    expect(run.status).toBe("partial");
    const collect = (r.results.chunks as unknown as Record<string, unknown>[]);
    expect(collect).toHaveLength(1);
    const [raw] = await db.sql`select outcome, http_status, error, convert_from(body, 'EUC_KR') like '%<!DOCTYPE html>%' as html from raw.koen_files where partition = '2024-08-01' order by id desc limit 1`;
    expect(raw).toMatchObject({ outcome: "failed", http_status: 200, html: true });
    const [{ n }] = await db.sql`select count(*)::int as n from namdong_generation where datetime >= '2024-08-01 00:00+09' and datetime < '2024-09-01 00:00+09'`;
    expect(n).toBe(0);

    const fixed = await sim();
    const retry = await runFlow(backfill, input("2024-05-01", "2024-08-31", { policy: "failed" }), koenEngineFor(db, fixed.url));
    expect((retry.results.report as RunReport).status).toBe("success");
    expect(posts(fixed)).toEqual(["20240801-20240831"]);
    const [{ m }] = await db.sql`select count(*)::int as m from namdong_generation where datetime >= '2024-08-01 00:00+09' and datetime < '2024-09-01 00:00+09'`;
    expect(m).toBe(rowsOfMonths(31));
  });

  it("a tiny error body and a garbled plant name fail their months with the reason; no garbage plant is created", async () => {
    const bad = await sim({
      tinyFor: (q) => q.start === "2024-09-01",
      extraRows: (q) => (q.start === "2024-10-01" ? [{ nameBytes: Buffer.concat([Buffer.from([0xff, 0x80]), iconv.encode("태양광", "cp949")]), hogi: "1", date: "2024-10-05" }] : []),
    });
    const r = await runFlow(backfill, input("2024-09-01", "2024-10-31"), koenEngineFor(db, bad.url));
    const report = r.results.report as RunReport;
    expect(report.status).toBe("partial");
    const hourly = report.failures.filter((f) => f.asset === "koen/hourly");
    expect(hourly.map((f) => f.partition)).toEqual(["2024-09-01", "2024-10-01"]);
    expect(hourly[0].error).toMatch(/^BadPayload: .*the body is only \d+ bytes/);
    expect(hourly[1].error).toMatch(/^BadPayload: .*plant name .* contains U\+FFFD/);
    const [{ plants }] = await db.sql`select count(*)::int as plants from namdong_plants`;
    expect(plants).toBe(UNITS);
    const [{ n }] = await db.sql`select count(*)::int as n from namdong_generation where datetime >= '2024-09-01 00:00+09' and datetime < '2024-11-01 00:00+09'`;
    expect(n).toBe(0);
  });

  it("a unit new to the reference list is added without coordinates and reported", async () => {
    const withNew = await sim({
      extraRows: (q) => (q.start === "2024-11-01" ? Array.from({ length: 30 }, (_, i) => ({ plantName: "남동신규태양광", hogi: "2", date: `2024-11-${String(i + 1).padStart(2, "0")}` })) : []),
    });
    const r = await runFlow(backfill, input("2024-11-01", "2024-11-30"), koenEngineFor(db, withNew.url));
    expect((r.results.report as RunReport).status).toBe("success");
    const ingest = (r.results.chunks as { new_units: unknown[] }[])[0];
    expect(ingest.new_units).toEqual([{ plant_name: "남동신규태양광", hogi: 2, first_partition: "2024-11-01" }]);
    const [p] = await db.sql`select latitude, longitude, discovered_run_id from namdong_plants where plant_name = '남동신규태양광' and hogi = 2`;
    expect(p).toEqual({ latitude: null, longitude: null, discovered_run_id: r.runId });
    const [c] = await db.sql`select check_name, passed, severity, message from ops.check_results where asset = 'koen/hourly' and run_id = ${r.runId}`;
    expect(c).toMatchObject({ check_name: "new_plant_unit", passed: false, severity: "warn" });
    expect(c.message).toMatch(/남동신규태양광 호기 2/);
    const [{ n }] = await db.sql`select count(*)::int as n from namdong_generation where plant_name = '남동신규태양광'`;
    expect(n).toBe(30 * 24);
  });

  it("the current month is fetched up to yesterday, marked partial, and planned again by every later run", async () => {
    const yesterday = yesterdayKst();
    const month = monthStart(yesterday);
    const r = await runFlow(backfill, input(month, yesterday), koenEngineFor(db, healthy.url));
    expect(r.status, r.error?.message).toBe("success");
    expect((r.results.report as RunReport).status).toBe("success");
    const [f] = await db.sql`select partial, partial_reason, to_char(window_end, 'YYYY-MM-DD') as window_end from raw.koen_files where partition = ${month} order by id desc limit 1`;
    expect(f.partial).toBe(true);
    expect(f.window_end).toBe(yesterday);
    expect(f.partial_reason).toMatch(/month not over|before/);
    const [{ n }] = await db.sql`select count(*)::int as n from namdong_generation where datetime >= ${month + " 00:00+09"}::timestamptz`;
    expect(n).toBe(UNITS * 24 * (daysBetween(month, yesterday) + 1));
    // Materialized, yet every later run (any policy) fetches it again until a complete download lands.
    const next = await runFlow(backfill, input(month, yesterday), koenEngineFor(db, healthy.url));
    expect((next.results.plan as { partitions: number }).partitions).toBe(1);
  });

  it("monthly_namdong: the previous month plus missing or partial months of the last three; scheduled on the 10th at 10:00 KST", async () => {
    const thisMonth = monthStart(todayKst());
    const r = await runFlow(monthlyNamdong, {}, koenEngineFor(db, healthy.url));
    expect(r.status, r.error?.message).toBe("success");
    const plan = r.results.plan as { start: string; end: string; partitions: number; chunks: { start: string; end: string }[] };
    expect([plan.start, plan.end]).toEqual([addMonths(thisMonth, -3), addDays(thisMonth, -1)]);
    expect(plan.partitions).toBe(3);
    expect(plan.chunks).toEqual([expect.objectContaining({ start: addMonths(thisMonth, -3), end: addMonths(thisMonth, -1), partitions: 3 })]);
    expect((r.results.report as RunReport).status).toBe("success");
    // Nothing left to do, except the previous month while KOEN may still publish it (before the 10th).
    const again = await runFlow(monthlyNamdong, {}, koenEngineFor(db, healthy.url));
    const unsettled = Number(todayKst().slice(8, 10)) < 10 ? 1 : 0;
    expect((again.results.plan as { partitions: number }).partitions).toBe(unsettled);

    const s = SCHEDULES.find((x) => x.flow === "monthly_namdong")!;
    expect(s).toMatchObject({ cron: "0 0 10 10 * *", timezone: "Asia/Seoul" });
    const next = new Cron(s.cron, { timezone: s.timezone }).nextRun(new Date("2026-01-15T00:00:00Z"))!;
    expect(next.toISOString()).toBe("2026-02-10T01:00:00.000Z"); // 10:00 KST on the 10th
  });
});

describe("KOEN TLS in the flow", { timeout: 240_000 }, () => {
  it("a site that omits its intermediate certificate fails the run loudly (not silently), months recorded as failed", async () => {
    const chain = await makeTestChain();
    const tlsSim = await sim({ tls: { key: chain.leafKey, cert: chain.leafPem } });
    const r = await runFlow(backfill, input("2023-01-01", "2023-02-28"), koenEngineFor(db, tlsSim.url));
    expect(r.status).toBe("failed");
    expect(r.error?.name).toBe("TlsVerificationFailed");
    expect(r.error?.message).toMatch(/could not be verified/);
    const [run] = await db.sql`select status, error from ops.runs where run_id = ${r.runId}`;
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/TlsVerificationFailed/);
    const raw = await db.sql`select partition, outcome, error from raw.koen_files where run_id = ${r.runId} order by partition`;
    expect(raw.map((x) => [x.partition, x.outcome])).toEqual([["2023-01-01", "failed"], ["2023-02-01", "failed"]]);
    expect(raw[1].error).toMatch(/not attempted after a certificate failure/);
  });

  it("tls_insecure (KOEN_TLS_INSECURE=1) works against that site, warns, and is recorded on every file and shown in the run's report", async () => {
    const chain = await makeTestChain();
    const tlsSim = await sim({ tls: { key: chain.leafKey, cert: chain.leafPem } });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const r = await runFlow(backfill, input("2023-03-01", "2023-03-31"), koenEngineFor(db, tlsSim.url, { tls_insecure: true }));
      expect((r.results.report as RunReport).status).toBe("success");
      expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/KOEN_TLS_INSECURE=1: TLS certificate verification for 127\.0\.0\.1 is DISABLED/);
      expect((r.results.report as RunReport).tls_insecure).toBe(true);
      const files = await db.sql`select tls_insecure, request from raw.koen_files where run_id = ${r.runId}`;
      expect(files.map((f) => f.tls_insecure)).toEqual([true]);
      expect(files[0].request.tls).toEqual({ insecure: true, extra_ca: [] });
    } finally {
      warn.mockRestore();
    }
  });
});
