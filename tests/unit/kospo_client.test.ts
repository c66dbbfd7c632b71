import { afterEach, describe, expect, it } from "vitest";
import {
  createKospoClient,
  type KospoClientOptions,
  type KospoDayResult,
  type KospoRangeRequest,
} from "../../f/lib/sources/kospo/client.ts";
import { parseKwh } from "../../f/lib/sources/kospo/item.ts";
import { QuotaExceeded, ServiceKeyRejected } from "../../f/lib/sources/errors.ts";
import { addDays, eachDay, monthEnd } from "../../f/lib/time/kst.ts";
import {
  DEFAULT_SIM_KEY,
  kospoSimQuirk,
  kospoSimSingleDayShape,
  kospoSimValue,
  startKospoSim,
  type KospoSim,
  type KospoSimOptions,
  type KospoSimUnit,
} from "../../src/simulators/kospo.ts";
import { expectEvery } from "../helpers/expect_every.ts";

const TODAY = "2025-03-15"; // the simulator's "today": data up to 2025-03-14
const sims: KospoSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(opts: KospoSimOptions = {}): Promise<KospoSim> {
  const s = await startKospoSim({ today: TODAY, ...opts });
  sims.push(s);
  return s;
}

function client(s: KospoSim, opts: Partial<KospoClientOptions> = {}) {
  return createKospoClient({
    baseUrl: s.url,
    serviceKey: DEFAULT_SIM_KEY,
    keyVariable: "NAMBU_API_KEY",
    requestsPerSecond: 1000,
    retryBaseDelayMs: 1,
    timeoutMs: 5000,
    ...opts,
  });
}

async function collect(c: ReturnType<typeof createKospoClient>, reqs: KospoRangeRequest[]) {
  const days: KospoDayResult[] = [];
  const stats = await c.fetchDays(reqs, (d) => {
    days.push(d);
  });
  return { days, stats };
}

function expectOncePerDay(days: KospoDayResult[], reqs: KospoRangeRequest[]): void {
  const got = days.map((d) => `${d.gencd}/${d.hogi}/${d.ymd}`).sort();
  const want = reqs.flatMap((r) => eachDay(r.start, r.end).map((d) => `${r.gencd}/${r.hogi}/${d}`)).sort();
  expect(got).toEqual(want);
}

function expectSimValues(d: KospoDayResult, units?: KospoSimUnit[]): void {
  if (d.outcome !== "data") throw new Error(`${d.gencd}/${d.hogi} ${d.ymd} is ${d.outcome}`);
  const hours = Array.from({ length: 24 }, (_, i) => parseKwh(d.item[`qhorgen${String(i + 1).padStart(2, "0")}`]));
  expect(hours).toEqual(kospoSimValue(d.gencd, d.hogi, d.ymd, units));
}

/** Queries of the log as {s, e, page, rows} with the key left out. */
const queries = (s: KospoSim) =>
  s.log.map((l) => ({ gencd: l.query.strOrgCd, s: l.query.strSdate, e: l.query.strEdate, page: l.query.pageNo, rows: l.query.numOfRows, answer: l.answer }));

const gatewayXml = (code: number, msg: string) =>
  `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>${msg}</returnAuthMsg><returnReasonCode>${code}</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`;

const JUNE: KospoRangeRequest = { gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-30" };

describe("service key", () => {
  it("works with the Decoding form and sends it encoded exactly once", async () => {
    const s = await sim();
    const reqs = [{ ...JUNE, end: "2024-06-03" }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));
    expect(s.log[0].rawQuery).toContain(`serviceKey=${encodeURIComponent(DEFAULT_SIM_KEY)}&`);
  });

  it("works with the Encoding form", async () => {
    const s = await sim();
    const reqs = [{ ...JUNE, end: "2024-06-03" }];
    const { days } = await collect(client(s, { serviceKey: encodeURIComponent(DEFAULT_SIM_KEY) }), reqs);
    expect(days.map((d) => d.outcome)).toEqual(["data", "data", "data"]);
    expectEvery(s.log, (l) => !l.rawQuery.includes("%25"));
  });

  it("repairs an environment value that was encoded twice", async () => {
    const s = await sim();
    const twice = encodeURIComponent(encodeURIComponent(DEFAULT_SIM_KEY));
    const { days } = await collect(client(s, { serviceKey: twice }), [{ ...JUNE, end: "2024-06-02" }]);
    expect(days.map((d) => d.outcome)).toEqual(["data", "data"]);
  });

  it("the simulator rejects a key that arrives double-encoded on the wire with reason 30", async () => {
    const s = await sim();
    const wire = encodeURIComponent(encodeURIComponent(DEFAULT_SIM_KEY));
    const res = await fetch(`${s.url}/getDataService?serviceKey=${wire}&pageNo=1&numOfRows=10&strSdate=20240601&strEdate=20240601&strOrgCd=8760&strHoki=1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<returnReasonCode>30</returnReasonCode>");
  });

  it.each([
    ["a key encoded three times (double-encoded on the wire)", encodeURIComponent(encodeURIComponent(encodeURIComponent(DEFAULT_SIM_KEY)))],
    ["a wrong key", "Wrong+Key/ABCDEFG=="],
  ])("fails fast with ServiceKeyRejected for %s, naming the variable and never the key", async (_label, key) => {
    const s = await sim();
    const delivered: KospoDayResult[] = [];
    const c = client(s, { serviceKey: key, concurrency: 2 });
    const months = Array.from({ length: 6 }, (_, i) => ({ gencd: "8760", hogi: 1, start: `2024-0${i + 1}-01`, end: monthEnd(`2024-0${i + 1}-01`) }));
    const err = await c.fetchDays(months, (d) => void delivered.push(d)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceKeyRejected);
    const msg = (err as Error).message;
    expect(msg).toContain("NAMBU_API_KEY");
    expect(msg).toContain("SERVICE_KEY_IS_NOT_REGISTERED_ERROR, reason 30");
    expect(msg).toContain("must not be encoded twice");
    for (const form of [key, decodeURIComponent(key), DEFAULT_SIM_KEY, encodeURIComponent(DEFAULT_SIM_KEY)]) expect(msg).not.toContain(form);
    expect(JSON.stringify(err)).not.toContain(DEFAULT_SIM_KEY);
    expect(s.requests).toBeLessThanOrEqual(2); // the in-flight pair, no retries, nothing after
    expect(delivered).toEqual([]);
    await expect(c.fetchDays([JUNE], () => {})).rejects.toBeInstanceOf(ServiceKeyRejected);
    expect(s.requests).toBeLessThanOrEqual(2);
  });

  it.each([
    [31, "DEADLINE_HAS_EXPIRED_ERROR"],
    [32, "UNREGISTERED_IP_ERROR"],
  ])("maps gateway reason %i to ServiceKeyRejected without retrying", async (code, msg) => {
    let calls = 0;
    const c = createKospoClient({
      baseUrl: "http://kospo.invalid/B552520/PwrSunLightInfo",
      serviceKey: DEFAULT_SIM_KEY,
      keyVariable: "NAMBU_API_KEY",
      retryBaseDelayMs: 1,
      fetch: async () => {
        calls++;
        return new Response(gatewayXml(code, msg), { status: 200, headers: { "content-type": "text/xml" } });
      },
    });
    const err = await c.fetchDays([{ ...JUNE, end: "2024-06-01" }], () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceKeyRejected);
    expect((err as ServiceKeyRejected).reasonCode).toBe(String(code));
    expect((err as Error).message).toContain(`${msg}, reason ${code}`);
    expect(calls).toBe(1);
  });
});

describe("the key is never reported", () => {
  // Fetch implementations differ in what their errors say; some (Bun's, proxies) quote the URL.
  it.each([
    ["the URL as sent", (url: string) => url],
    ["the URL with lower-case escapes", (url: string) => url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ["the decoded key alone", () => `key ${DEFAULT_SIM_KEY}`],
  ])("a thrown fetch error quoting %s", async (_what, quote) => {
    const c = createKospoClient({
      baseUrl: "http://kospo.invalid/B552520/PwrSunLightInfo",
      serviceKey: DEFAULT_SIM_KEY,
      keyVariable: "NAMBU_API_KEY",
      retries: 1,
      retryBaseDelayMs: 1,
      fetch: async (input) => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ECONNREFUSED (${quote(String(input))})`), { code: "ECONNREFUSED" }) });
      },
    });
    const days: KospoDayResult[] = [];
    await c.fetchDays([{ ...JUNE, end: "2024-06-02" }], (d) => void days.push(d));
    expect(days).toHaveLength(2);
    const lower = (t: string) => t.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
    const forms = [DEFAULT_SIM_KEY, encodeURIComponent(DEFAULT_SIM_KEY), lower(encodeURIComponent(DEFAULT_SIM_KEY))];
    for (const d of days) {
      expect(d.outcome).toBe("failed");
      const reason = d.outcome === "failed" ? d.reason : "";
      expect(reason).toMatch(/ECONNREFUSED/); // the error did reach the reason…
      for (const f of forms) expect(reason).not.toContain(f); // …without the key
    }
  });
});

describe("responses", () => {
  it("handles both item shapes of single-day answers", async () => {
    const s = await sim();
    const june = eachDay("2024-06-01", "2024-06-30");
    const flat = june.find((d) => kospoSimSingleDayShape(d) === "flat")!;
    const listed = june.find((d) => kospoSimSingleDayShape(d) === "item")!;
    const reqs = [flat, listed].map((d) => ({ gencd: "8760", hogi: 1, start: d, end: d }));
    const { days, stats } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));
    expect(s.log.map((l) => l.answer).sort()).toEqual(["data", "data-flat"]);
    expect(stats).toMatchObject({ requests: 2, data: 2, empty: 0, failed: 0 });
  });

  it("reports days of a unit without data (resultCode 03) as empty after checking the range's last day", async () => {
    const s = await sim();
    const reqs = [{ gencd: "5707", hogi: 1, start: "2024-06-01", end: "2024-06-03" }];
    const { days, stats } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expectEvery(days, (d) => d.outcome === "empty");
    expect(stats).toMatchObject({ data: 0, empty: 3, failed: 0 });
    expectEvery(s.log, (l) => l.answer === "nodata");
    // the range, then its last day with strEdate = day+1 (the only day DOMAIN §1.3's quirk can hide)
    expect(queries(s).map((a) => `${a.s}-${a.e}`)).toEqual(["20240601-20240603", "20240603-20240604"]);
  });

  it("reports days after the last published day as empty", async () => {
    const s = await sim();
    const reqs = [{ gencd: "8760", hogi: 1, start: addDays(TODAY, -2), end: TODAY }];
    const { days } = await collect(client(s), reqs);
    expect(days.map((d) => d.outcome)).toEqual(["data", "data", "empty"]);
  });

  it("serves the broken plant 997S/1 with the whole day in the label-16 cell", async () => {
    const s = await sim();
    const { days } = await collect(client(s), [{ gencd: "997S", hogi: 1, start: "2024-06-01", end: "2024-06-01" }]);
    const d = days[0];
    if (d.outcome !== "data") throw new Error(`997S/1 2024-06-01 is ${d.outcome}`);
    const hours = Array.from({ length: 24 }, (_, i) => parseKwh(d.item[`qhorgen${String(i + 1).padStart(2, "0")}`]));
    expect(hours.filter((v) => v !== 0)).toEqual([hours[15]]);
    expect(hours[15]).toBeGreaterThan(0);
    expect(parseKwh(d.item.qvodgen)).toBe(hours[15]);
  });

  it("keeps only in-range items and the last duplicate of a day", async () => {
    const item = (ymd: string, v: string) =>
      `<item><ymd>${ymd}</ymd>${Array.from({ length: 24 }, (_, i) => `<qhorgen${String(i + 1).padStart(2, "0")}>${v}</qhorgen${String(i + 1).padStart(2, "0")}>`).join("")}</item>`;
    const body = `<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header><body><items>${item("20240531", "9")}${item("2024-06-01", "1")}${item("20240601", "2")}${item("20240602", "3")}</items><numOfRows>100</numOfRows><pageNo>1</pageNo><totalCount>4</totalCount></body></response>`;
    const c = createKospoClient({
      baseUrl: "http://kospo.invalid/x",
      serviceKey: DEFAULT_SIM_KEY,
      keyVariable: "NAMBU_API_KEY",
      fetch: async () => new Response(body, { status: 200 }),
    });
    const { days } = await collect(c, [{ gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-02" }]);
    expect(days.map((d) => [d.ymd, d.outcome === "data" ? d.item.qhorgen01 : d.outcome])).toEqual([
      ["2024-06-01", "2"],
      ["2024-06-02", "3"],
    ]);
  });
});

describe("failures", () => {
  it("stops on quota (reason 22) after handing over the days already fetched", async () => {
    // Pages of 10 days, one request at a time: pages 1 and 2 of January arrive, page 3 hits the quota.
    const s = await sim({ quotaAfter: 2 });
    const delivered: KospoDayResult[] = [];
    const c = client(s, { concurrency: 1, numOfRows: 10 });
    const january = [{ gencd: "997D", hogi: 1, start: "2024-01-01", end: "2024-01-31" }];
    const err = await c.fetchDays(january, (d) => void delivered.push(d)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect((err as Error).message).toMatch(/tomorrow after midnight KST/);
    expect(s.log.map((l) => `${l.query.pageNo}:${l.answer}`)).toEqual(["1:data", "2:data", "3:gateway-22"]);
    // the 20 days of the two pages that arrived reached onDay once each, as data; nothing else did
    expect(delivered.length).toBeGreaterThanOrEqual(18);
    expectEvery(delivered, (d) => d.outcome === "data" && d.ymd >= "2024-01-01" && d.ymd <= "2024-01-21");
    expect(new Set(delivered.map((d) => d.ymd)).size).toBe(delivered.length);
    delivered.forEach((d) => expectSimValues(d));
    expect(c.stats().retries).toBe(0);
    // the client stays stopped: a second call issues nothing
    await expect(c.fetchDays([JUNE], () => {})).rejects.toBeInstanceOf(QuotaExceeded);
    expect(s.log.length).toBe(3);
  });

  it("delivers whole months finished before the quota", async () => {
    const s = await sim({ quotaAfter: 3 });
    const delivered: KospoDayResult[] = [];
    const c = client(s, { concurrency: 1 });
    const months = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"].map((m) => ({ gencd: "997D", hogi: 1, start: m, end: monthEnd(m) }));
    await expect(c.fetchDays(months, (d) => void delivered.push(d))).rejects.toBeInstanceOf(QuotaExceeded);
    expect(delivered.length).toBeGreaterThanOrEqual(28);
    expectEvery(delivered, (d) => d.outcome === "data");
    expect(s.log.findIndex((l) => l.answer === "gateway-22")).toBe(s.log.length - 1); // nothing after it
  });

  it("marks the days of an HTML answer failed and carries on with the other requests", async () => {
    const s = await sim({ htmlFor: (q) => q.gencd === "997D" });
    const reqs = [
      { gencd: "997D", hogi: 1, start: "2024-06-01", end: "2024-06-30" },
      { gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-30" },
    ];
    const { days, stats } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    const broken = days.filter((d) => d.gencd === "997D");
    expectEvery(broken, (d) => d.outcome === "failed" && d.errorCode === "SourceReturnedHtml" && /HTML/.test(d.reason));
    days.filter((d) => d.gencd === "8760").forEach((d) => expectSimValues(d));
    // Not retried; asked day by day until three days in a row fail, then given up on.
    expect(s.log.filter((l) => l.query.strOrgCd === "997D").map((l) => [l.query.strSdate, l.query.strEdate])).toEqual([
      ["20240601", "20240630"], ["20240601", "20240601"], ["20240602", "20240602"], ["20240603", "20240603"],
    ]);
    expect(stats.failed).toBe(30);
    expect(stats.retries).toBe(0);
    for (const d of broken) if (d.outcome === "failed") expect(d.reason).not.toContain(DEFAULT_SIM_KEY);
  });

  it("marks the days of a truncated answer failed with BadPayload", async () => {
    const s = await sim({ truncateFor: (q) => q.gencd === "997D" });
    const reqs = [
      { gencd: "997D", hogi: 1, start: "2024-06-01", end: "2024-06-10" },
      { gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-10" },
    ];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expectEvery(days.filter((d) => d.gencd === "997D"), (d) => d.outcome === "failed" && d.errorCode === "BadPayload");
    expectEvery(days.filter((d) => d.gencd === "8760"), (d) => d.outcome === "data");
    expect(s.log.filter((l) => l.query.strOrgCd === "997D")).toHaveLength(4);
  });

  it("isolates one bad day of a range by asking day by day, so the other days still load", async () => {
    const s = await sim({ htmlFor: (q) => q.gencd === "8760" && q.start <= "2024-06-05" && q.end >= "2024-06-05" });
    const reqs = [{ gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-10" }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expect(days.filter((d) => d.outcome === "failed").map((d) => d.ymd)).toEqual(["2024-06-05"]);
    expect(days.filter((d) => d.outcome === "data")).toHaveLength(9);
  });

  it("retries HTTP 5xx and dropped connections and recovers", async () => {
    const s = await sim({ faultRate: 0.35, seed: 7 });
    const reqs = ["8760", "997D", "997N", "997Q", "9988", "9989"].map((g) => ({ gencd: g, hogi: 1, start: "2024-03-01", end: "2024-06-30" }));
    const { days, stats } = await collect(client(s, { retries: 8 }), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));
    const faults = s.log.filter((l) => l.answer.startsWith("fault"));
    expect(faults.length).toBeGreaterThan(5);
    expect(faults.some((f) => f.answer === "fault-drop")).toBe(true);
    expect(faults.some((f) => /^fault-5\d\d$/.test(f.answer))).toBe(true);
    expect(stats.retries).toBe(faults.length);
    expect(stats.requests).toBe(s.requests);
    expect(stats.failed).toBe(0);
  });

  it("gives up after the retries and marks the days failed with SourceUnavailable", async () => {
    const s = await sim({ faultRate: 1 });
    const reqs = [{ gencd: "8760", hogi: 1, start: "2024-06-01", end: "2024-06-05" }];
    const { days, stats } = await collect(client(s, { retries: 2 }), reqs);
    expectOncePerDay(days, reqs);
    expectEvery(days, (d) => d.outcome === "failed" && d.errorCode === "SourceUnavailable");
    expect(s.requests).toBe(3);
    expect(stats.retries).toBe(2);
  });

  it("retries a request that times out, then marks its days failed", async () => {
    const s = await sim({ latencyMs: 400 });
    const { days, stats } = await collect(client(s, { timeoutMs: 100, retries: 1 }), [{ ...JUNE, end: "2024-06-02" }]);
    expectEvery(days, (d) => d.outcome === "failed" && d.errorCode === "SourceUnavailable" && /no answer within 100 ms/.test(d.reason));
    expect(stats).toMatchObject({ requests: 2, retries: 1, failed: 2 });
  });

  it("answers a refused range (reason 10) day by day, without retrying the range", async () => {
    const s = await sim({ maxRangeDays: 20 });
    const reqs = [JUNE, { ...JUNE, gencd: "997D", end: "2024-06-15" }];
    const { days, stats } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expectEvery(days.filter((d) => d.gencd === "8760"), (d) => d.outcome === "data");
    expectEvery(days.filter((d) => d.gencd === "997D"), (d) => d.outcome === "data");
    expect(s.log.filter((l) => l.query.strOrgCd === "8760").map((l) => l.answer).filter((a) => a === "gateway-10")).toEqual(["gateway-10"]);
    expect(stats.retries).toBe(0);
  });

  it("honours Retry-After on HTTP 429", async () => {
    const s = await sim();
    let calls = 0;
    const c = client(s, {
      fetch: async (input, init) => {
        calls++;
        if (calls === 1) return new Response("Too Many Requests", { status: 429, headers: { "retry-after": "1" } });
        return fetch(input, init);
      },
    });
    const t0 = Date.now();
    const { days, stats } = await collect(c, [{ ...JUNE, end: "2024-06-01" }]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(days[0].outcome).toBe("data");
    expect(stats.retries).toBe(1);
  });

  it("aborts when the signal fires", async () => {
    const s = await sim({ latencyMs: 50 });
    const ac = new AbortController();
    const c = client(s, { signal: ac.signal, concurrency: 1 });
    setTimeout(() => ac.abort(new Error("stop requested")), 120);
    await expect(c.fetchDays([{ ...JUNE, start: "2024-01-01" }], () => {})).rejects.toThrow("stop requested");
    await new Promise((r) => setTimeout(r, 100)); // a request already on the wire may still land
    const after = s.requests;
    expect(after).toBeLessThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.requests).toBe(after);
    await expect(c.fetchDays([JUNE], () => {})).rejects.toThrow("stop requested");
  });

  it("stops and rethrows when onDay throws", async () => {
    const s = await sim();
    const c = client(s);
    await expect(
      c.fetchDays([JUNE], () => {
        throw new Error("database down");
      }),
    ).rejects.toThrow("database down");
  });

  it("rejects a range that ends before it starts without any request", async () => {
    const s = await sim();
    await expect(client(s).fetchDays([{ ...JUNE, start: "2024-06-10", end: "2024-06-01" }], () => {})).rejects.toThrow(RangeError);
    expect(s.requests).toBe(0);
  });
});

describe("missing days and paging", () => {
  // A month of a unit where the range answer leaves out a day (rangeOmit) and one only the
  // strEdate=day+1 query returns (nextDayOnly).
  function quirkyMonth(): { gencd: string; start: string; end: string; omit: string[]; nextDay: string[] } {
    for (const gencd of ["8760", "997D", "997N", "997Q", "997R", "997Y", "9985", "9988", "9989"]) {
      for (let m = "2016-01-01"; m < "2025-01-01"; m = addDays(monthEnd(m), 1)) {
        const days = eachDay(m, monthEnd(m));
        const omit = days.filter((d) => kospoSimQuirk(gencd, 1, d) === "rangeOmit");
        const nextDay = days.filter((d) => kospoSimQuirk(gencd, 1, d) === "nextDayOnly");
        if (omit.length > 0 && nextDay.length > 0) return { gencd, start: m, end: monthEnd(m), omit, nextDay };
      }
    }
    throw new Error("no month with both quirks");
  }

  it("fetches a day missing from the range answer singly, then with strEdate = day+1", async () => {
    const s = await sim();
    const q = quirkyMonth();
    const reqs = [{ gencd: q.gencd, hogi: 1, start: q.start, end: q.end }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));

    const c = (d: string) => d.replaceAll("-", "");
    const asked = queries(s);
    const extra = asked.filter((a) => a.s !== c(q.start) || a.e !== c(q.end));
    const expected = [
      ...q.omit.map((d) => `${c(d)}-${c(d)}`),
      ...q.nextDay.flatMap((d) => [`${c(d)}-${c(d)}`, `${c(d)}-${c(addDays(d, 1))}`]),
    ].sort();
    expect(extra.map((a) => `${a.s}-${a.e}`).sort()).toEqual(expected);
    for (const d of q.nextDay) expect(asked.find((a) => a.s === c(d) && a.e === c(d))?.answer).toMatch(/^(nodata|empty)$/);
  });

  it("pages through totalCount", async () => {
    const s = await sim();
    // a month without quirks, so only the pages are asked
    const month = ["2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-08-01", "2024-10-01", "2024-12-01"].find((m) =>
      eachDay(m, monthEnd(m)).every((d) => kospoSimQuirk("8760", 1, d) === "none"),
    )!;
    const reqs = [{ gencd: "8760", hogi: 1, start: month, end: monthEnd(month) }];
    const { days } = await collect(client(s, { numOfRows: 7 }), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));
    expect(queries(s).map((a) => `${a.page}/${a.rows}`).sort()).toEqual(["1/7", "2/7", "3/7", "4/7", "5/7"]);
  });
});

describe("requests per range (issue #18: ask each range once)", () => {
  const c = (d: string) => d.replaceAll("-", "");
  const months = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}-01`);

  it("an empty unit-year costs 2 requests a month: the range, and its last day with strEdate = day+1", async () => {
    const s = await sim();
    const reqs = [{ gencd: "5707", hogi: 1, start: "2024-01-01", end: "2024-12-31" }]; // 5707/1 has no data (DOMAIN §1.6)
    const { days, stats } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expectEvery(days, (d) => d.outcome === "empty");
    const expected = months(2024).flatMap((m) => [`${c(m)}-${c(monthEnd(m))}`, `${c(monthEnd(m))}-${c(addDays(monthEnd(m), 1))}`]);
    expect(queries(s).map((a) => `${a.s}-${a.e}`).sort()).toEqual(expected.sort());
    expect(s.requests).toBe(24);
    expect(s.requests).toBeLessThanOrEqual(60); // the target
    expect(stats.requests).toBe(s.requests);
  });

  it("as the planner chunks a year (31 days a chunk, across months), an empty unit-year costs 2 requests a chunk", async () => {
    const s = await sim();
    const chunks: KospoRangeRequest[] = [];
    for (let d = "2024-01-01"; d <= "2024-12-31"; d = addDays(d, 31)) {
      chunks.push({ gencd: "5707", hogi: 1, start: d, end: addDays(d, 30) < "2024-12-31" ? addDays(d, 30) : "2024-12-31" });
    }
    expect(chunks).toHaveLength(12);
    const { days } = await collect(client(s), chunks);
    expectOncePerDay(days, chunks);
    expectEvery(days, (d) => d.outcome === "empty");
    const expected = chunks.flatMap((r) => [`${c(r.start)}-${c(r.end)}`, `${c(r.end)}-${c(addDays(r.end, 1))}`]);
    expect(queries(s).map((a) => `${a.s}-${a.e}`).sort()).toEqual(expected.sort());
    expect(s.requests).toBe(24);
  });

  it("a unit-year with data costs one request a month plus 1 per day the range leaves out and 2 per next-day-only day", async () => {
    const s = await sim();
    const reqs = [{ gencd: "8760", hogi: 1, start: "2024-01-01", end: "2024-12-31" }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    days.forEach((d) => expectSimValues(d));
    const year = eachDay("2024-01-01", "2024-12-31");
    const omitted = year.filter((d) => kospoSimQuirk("8760", 1, d) === "rangeOmit"); // found alone
    const nextDayOnly = year.filter((d) => kospoSimQuirk("8760", 1, d) === "nextDayOnly"); // alone, then with day+1
    expect(omitted.length + nextDayOnly.length).toBeGreaterThan(0); // the year exercises the quirks
    expect(s.requests).toBe(12 + omitted.length + 2 * nextDayOnly.length);
    const expected = [
      ...months(2024).map((m) => `${c(m)}-${c(monthEnd(m))}`),
      ...omitted.map((d) => `${c(d)}-${c(d)}`),
      ...nextDayOnly.flatMap((d) => [`${c(d)}-${c(d)}`, `${c(d)}-${c(addDays(d, 1))}`]),
    ];
    expect(queries(s).map((a) => `${a.s}-${a.e}`).sort()).toEqual(expected.sort());
  });

  it("a month that answers no data but whose last day is answered with strEdate = day+1 keeps that day", async () => {
    // A unit whose data starts on a month's last day, a day the simulator answers only with strEdate = day+1.
    let found: { unit: KospoSimUnit; month: string } | undefined;
    for (let i = 0; !found && i < 2000; i++) {
      const gencd = `Q${String(i).padStart(3, "0")}`;
      const month = months(2024).find((m) => kospoSimQuirk(gencd, 1, monthEnd(m)) === "nextDayOnly");
      if (month) found = { unit: { gencd, hogi: 1, capacityKw: 500, firstDate: monthEnd(month), lat: 35.1, lon: 129.0 }, month };
    }
    if (!found) throw new Error("no unit with a next-day-only month end");
    const { unit, month } = found;
    const s = await sim({ units: [unit] });
    const reqs = [{ gencd: unit.gencd, hogi: 1, start: month, end: monthEnd(month) }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expect(days.filter((d) => d.outcome === "data").map((d) => d.ymd)).toEqual([monthEnd(month)]);
    expectSimValues(days.find((d) => d.outcome === "data")!, [unit]);
    expect(days.filter((d) => d.outcome === "empty")).toHaveLength(eachDay(month, monthEnd(month)).length - 1);
    expect(queries(s).map((a) => `${a.s}-${a.e}:${a.answer}`)).toEqual([
      expect.stringMatching(new RegExp(`^${c(month)}-${c(monthEnd(month))}:(nodata|empty)$`)),
      `${c(monthEnd(month))}-${c(addDays(monthEnd(month), 1))}:data`,
    ]);
  });

  it("a failed last-day check fails that day only; the range's other days stay empty", async () => {
    const s = await sim({ htmlFor: (q) => q.start !== q.end && q.start === "2024-06-30" });
    const reqs = [{ gencd: "5707", hogi: 1, start: "2024-06-01", end: "2024-06-30" }];
    const { days } = await collect(client(s), reqs);
    expectOncePerDay(days, reqs);
    expect(days.filter((d) => d.outcome === "failed").map((d) => d.ymd)).toEqual(["2024-06-30"]);
    expect(days.filter((d) => d.outcome === "empty")).toHaveLength(29);
    expect(s.requests).toBe(2);
  });
});

describe("bounds", () => {
  it("never has more requests in flight than the concurrency bound", async () => {
    for (const concurrency of [1, 3]) {
      const s = await sim({ latencyMs: 100 });
      const reqs = eachDay("2024-06-01", "2024-06-12").map((d) => ({ gencd: "8760", hogi: 1, start: d, end: d }));
      const { days } = await collect(client(s, { concurrency }), reqs);
      expectOncePerDay(days, reqs);
      expect(s.maxInFlight).toBeLessThanOrEqual(concurrency);
      // …and the bound is used (exact peaks depend on the machine's load, so: more than one).
      if (concurrency > 1) expect(s.maxInFlight).toBeGreaterThan(1);
    }
  });

  it("keeps to the request rate", async () => {
    const s = await sim();
    const reqs = eachDay("2024-06-01", "2024-06-08").map((d) => ({ gencd: "8760", hogi: 1, start: d, end: d }));
    const t0 = Date.now();
    await collect(client(s, { requestsPerSecond: 5, concurrency: 8 }), reqs);
    expect(s.requests).toBeGreaterThanOrEqual(8);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });
});

describe("probeFirstDate", () => {
  const units: KospoSimUnit[] = [
    { gencd: "P001", hogi: 1, capacityKw: 500, firstDate: "2019-03-17", lat: 35.1, lon: 129.0 },
    { gencd: "P002", hogi: 2, capacityKw: 800, firstDate: "2025-02-11", lat: 37.5, lon: 126.6 }, // starts in the current year
    { gencd: "P003", hogi: 1, capacityKw: 300, firstDate: "2016-05-20", lastDate: "2016-08-03", lat: 37.2, lon: 129.3 }, // stopped in its first year
  ];
  const range = { earliest: "2015-01-01", latest: addDays(TODAY, -1) };

  it("the chosen start dates are not quirk days", () => {
    for (const u of units) expect(kospoSimQuirk(u.gencd, u.hogi, u.firstDate)).toBe("none");
  });

  it.each(units.map((u) => [u.gencd, u.hogi, u.firstDate] as const))("finds %s/%i starting %s", async (gencd, hogi, first) => {
    const s = await sim({ units });
    const c = client(s);
    expect(await c.probeFirstDate(gencd, hogi, range)).toBe(first);
    const asked = queries(s);
    expect(asked.length).toBeLessThanOrEqual(11 + 12); // years, then months of one year
    expectEvery(asked.filter((a) => a.s.endsWith("0101") && a.e.endsWith("1231")), (a) => a.rows === "1");
  });

  it("returns null for a unit without data", async () => {
    const s = await sim({ units });
    expect(await client(s).probeFirstDate("5707", 1, range)).toBeNull();
    expect(s.requests).toBe(11); // one count per year 2015..2025
  });

  it("works for a plant with the default simulator units", async () => {
    const s = await sim();
    expect(await client(s).probeFirstDate("997D", 1, { earliest: "2014-06-01", latest: "2024-12-31" })).toBe("2015-10-23");
  });
});
