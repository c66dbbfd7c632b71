import { afterEach, describe, expect, it } from "vitest";
import { createAsosClient, DateNotPublished, type AsosClientOptions, type AsosDayResult, type AsosRangeRequest } from "../../f/lib/sources/asos/client.ts";
import { QuotaExceeded, ServiceKeyRejected } from "../../f/lib/sources/errors.ts";
import { eachDay } from "../../f/lib/time/kst.ts";
import { asosSimDay, DEFAULT_ASOS_SIM_KEY, startAsosSim, type AsosSim, type AsosSimOptions } from "../../src/simulators/asos.ts";
import { expectEvery } from "../helpers/expect_every.ts";

const TODAY = "2025-03-15"; // the simulator's and the client's "today": data up to 2025-03-14
const sims: AsosSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(opts: AsosSimOptions = {}): Promise<AsosSim> {
  const s = await startAsosSim({ today: TODAY, ...opts });
  sims.push(s);
  return s;
}

const client = (s: AsosSim, opts: Partial<AsosClientOptions> = {}) =>
  createAsosClient({
    baseUrl: s.url,
    serviceKey: DEFAULT_ASOS_SIM_KEY,
    keyVariable: "ASOS_API_KEY",
    requestsPerSecond: 1000,
    retryBaseDelayMs: 1,
    timeoutMs: 30_000, // generous: a loaded machine must not turn into retries
    today: TODAY,
    ...opts,
  });

async function collect(c: ReturnType<typeof createAsosClient>, reqs: AsosRangeRequest[]) {
  const days: AsosDayResult[] = [];
  const stats = await c.fetchDays(reqs, (d) => {
    days.push(d);
  });
  return { days, stats };
}

const queries = (s: AsosSim): Record<string, string>[] => s.log.map((l) => ({ ...l.query, answer: l.answer }));

function expectSimDay(d: AsosDayResult): void {
  if (d.outcome !== "data") throw new Error(`${d.stnId} ${d.ymd} is ${d.outcome}${d.outcome === "failed" ? `: ${d.reason}` : ""}`);
  const want = asosSimDay(d.stnId, d.ymd);
  expect(d.items.map((i) => i.tm)).toEqual(want.map((w) => w.tm));
  // Exactly as received (rnum aside, which depends on the page).
  expect(d.items.map(({ rnum: _r, ...rest }) => rest)).toEqual(want);
}

describe("request", () => {
  it("asks getWthrDataList for JSON hourly ASOS of one station, 00..23h, key encoded exactly once", async () => {
    const s = await sim();
    const { days } = await collect(client(s, { serviceKey: encodeURIComponent(DEFAULT_ASOS_SIM_KEY) }), [{ stnId: 108, start: "2025-03-01", end: "2025-03-02" }]);
    expect(days.map((d) => d.outcome)).toEqual(["data", "data"]);
    days.forEach(expectSimDay);
    expect(s.log).toHaveLength(1);
    expect(s.log[0].path).toBe("/1360000/AsosHourlyInfoService/getWthrDataList");
    expect(s.log[0].query).toMatchObject({ dataType: "JSON", dataCd: "ASOS", dateCd: "HR", startDt: "20250301", startHh: "00", endDt: "20250302", endHh: "23", stnIds: "108", pageNo: "1", numOfRows: "999" });
    expect(s.log[0].rawQuery).toContain(`serviceKey=${encodeURIComponent(DEFAULT_ASOS_SIM_KEY)}&`);
  });

  it("chunks long ranges to at most 30 days per request", async () => {
    const s = await sim();
    const { days } = await collect(client(s), [{ stnId: 108, start: "2024-11-01", end: "2025-01-14" }]);
    expect(days).toHaveLength(75);
    expectEvery(days, (d) => d.outcome === "data");
    const ranges = queries(s).map((q) => [q.startDt, q.endDt]).sort(); // chunks are requested concurrently
    expect(ranges).toEqual([["20241101", "20241130"], ["20241201", "20241230"], ["20241231", "20250114"]]);
  });

  it("asking for today (or later) is a usage error before any request", async () => {
    const s = await sim();
    const c = client(s);
    await expect(collect(c, [{ stnId: 108, start: "2025-03-14", end: "2025-03-15" }])).rejects.toThrow(DateNotPublished);
    await expect(collect(c, [{ stnId: 108, start: "2025-03-14", end: "2025-03-15" }])).rejects.toThrow(/up to yesterday \(2025-03-14 KST\)/);
    expect(s.requests).toBe(0);
    const ok = await collect(c, [{ stnId: 108, start: "2025-03-14", end: "2025-03-14" }]);
    expect(ok.days[0].outcome).toBe("data");
  });

  it("a station-day the service has nothing for is empty (resultCode 03), not failed", async () => {
    const s = await sim({ stations: [{ stnId: 108, name: "서울", lat: 37.57, lon: 126.97, hasSolarSensor: true, firstDate: "2025-03-03" }] });
    const { days } = await collect(client(s), [{ stnId: 108, start: "2025-02-27", end: "2025-03-04" }]);
    expect(days.map((d) => `${d.ymd}:${d.outcome}`)).toEqual([
      "2025-02-27:empty", "2025-02-28:empty", "2025-03-01:empty", "2025-03-02:empty", "2025-03-03:data", "2025-03-04:data",
    ]);
    const none = await collect(client(s), [{ stnId: 108, start: "2025-01-01", end: "2025-01-02" }]);
    expect(none.days.map((d) => d.outcome)).toEqual(["empty", "empty"]);
  });
});

describe("paging", () => {
  it("pages through totalCount over several pages", async () => {
    const s = await sim();
    const { days } = await collect(client(s, { numOfRows: 10 }), [{ stnId: 133, start: "2025-03-01", end: "2025-03-02" }]);
    expect(days).toHaveLength(2);
    days.forEach(expectSimDay);
    expect(queries(s).map((q) => q.pageNo).sort()).toEqual(["1", "2", "3", "4", "5"]); // 48 rows / 10
  });

  it("follows the page size the service actually uses when it caps numOfRows", async () => {
    const s = await sim({ maxRows: 50 });
    const { days } = await collect(client(s), [{ stnId: 108, start: "2025-02-01", end: "2025-03-02" }]);
    expect(days).toHaveLength(30);
    days.forEach(expectSimDay);
    expect(s.log).toHaveLength(Math.ceil((30 * 24) / 50));
  });

  it("never truncates silently: a short answer fails the days instead of storing part of them", async () => {
    const s = await sim({ shortPageFor: (q) => q.pageNo === 2 });
    const { days } = await collect(client(s, { numOfRows: 20 }), [{ stnId: 108, start: "2025-03-01", end: "2025-03-02" }]);
    expect(days.map((d) => d.outcome)).toEqual(["failed", "failed"]);
    expect(days[0]).toMatchObject({ errorCode: "BadPayload" });
    expect((days[0] as { reason: string }).reason).toMatch(/received 47 of 48 rows/);
  });
});

describe("faults and limits", () => {
  it("bounds in-flight requests (default 4)", async () => {
    const s = await sim({ latencyMs: 40 });
    const reqs = [90, 93, 95, 98, 99, 100, 101, 102, 104, 105, 106, 108].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-01" }));
    const { days } = await collect(client(s), reqs);
    expect(days.filter((d) => d.outcome === "data")).toHaveLength(12);
    expect(s.maxInFlight).toBeLessThanOrEqual(4);
    expect(s.maxInFlight).toBeGreaterThan(1);
  });

  it("retries HTTP 429/5xx and dropped connections with backoff, and still delivers every day once", async () => {
    const s = await sim({ faultRate: 0.35, seed: 7 });
    const reqs = [108, 112, 119, 133, 143, 152, 156, 159].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-03" }));
    const c = client(s, { retries: 8 });
    const { days, stats } = await collect(c, reqs);
    expect(days.map((d) => `${d.stnId}/${d.ymd}`).sort()).toEqual(reqs.flatMap((r) => eachDay(r.start, r.end).map((d) => `${r.stnId}/${d}`)).sort());
    days.forEach(expectSimDay);
    expect(stats.retries).toBeGreaterThan(0);
    expect(new Set(s.log.filter((l) => l.answer.startsWith("fault-")).map((l) => l.answer)).size).toBeGreaterThan(1);
  });

  it("backs off when the service rate-limits concurrent calls (429)", async () => {
    const s = await sim({ maxInFlight: 1, latencyMs: 20 });
    const reqs = [108, 112, 119, 133, 143, 152].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-01" }));
    const { days, stats } = await collect(client(s, { retries: 10, retryBaseDelayMs: 20 }), reqs);
    expectEvery(days, (d) => d.outcome === "data");
    expect(stats.retries).toBeGreaterThan(0);
    expect(s.log.filter((l) => l.answer === "429").length).toBe(stats.retries);
  });

  it("a persistent failure marks the days failed after the retries, without stopping other stations", async () => {
    const s = await sim({ htmlFor: (q) => q.stnId === 112 });
    const { days } = await collect(client(s), [108, 112].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-02" })));
    expect(days.filter((d) => d.stnId === 112).map((d) => d.outcome)).toEqual(["failed", "failed"]);
    expect(days.filter((d) => d.stnId === 112)[0]).toMatchObject({ errorCode: "SourceReturnedHtml" });
    expectEvery(days.filter((d) => d.stnId === 108), (d) => d.outcome === "data");
    expect(s.log.filter((l) => l.query.stnIds === "112")).toHaveLength(1); // an HTML page is not retried
  });
});

describe("gateway verdicts (XML whatever dataType was asked)", () => {
  it("quota (reason 22) stops cleanly: days fetched before are delivered, no new request, no retries", async () => {
    const s = await sim({ quotaAfter: 3 });
    const reqs = [90, 93, 95, 98, 99, 100].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-01" }));
    const c = client(s, { concurrency: 1 });
    const days: AsosDayResult[] = [];
    const err = await c.fetchDays(reqs, (d) => void days.push(d)).catch((e) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect(err.message).toMatch(/ASOS_API_KEY/);
    expect(err.message).toMatch(/resume tomorrow/);
    expect(days.map((d) => d.outcome)).toEqual(["data", "data", "data"]);
    expect(s.log.map((l) => l.answer)).toEqual(["data", "data", "data", "gateway-22"]);
    // The client stays stopped: a later call fails the same way without asking the service.
    await expect(c.fetchDays([{ stnId: 108, start: "2025-03-01", end: "2025-03-01" }], () => {})).rejects.toBeInstanceOf(QuotaExceeded);
    expect(s.log).toHaveLength(4);
  });

  it("a rejected key (reason 30) fails fast and says which variable to fix, never the key", async () => {
    const s = await sim();
    const c = client(s, { serviceKey: "not-the-key", concurrency: 1 });
    const err = await collect(c, [108, 112, 119].map((stnId) => ({ stnId, start: "2025-03-01", end: "2025-03-01" }))).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceKeyRejected);
    expect(err.message).toMatch(/ASOS_API_KEY.*SERVICE_KEY_IS_NOT_REGISTERED_ERROR.*reason 30/);
    expect(err.message).not.toContain("not-the-key");
    expect(s.log).toHaveLength(1);
    expect(s.log[0].answer).toBe("gateway-30");
  });
});
