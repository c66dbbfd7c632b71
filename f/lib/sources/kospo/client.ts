// KOSPO (남부발전) hourly PV generation fetcher: GET {baseUrl}/getDataService (DOMAIN §1).
// Every HTTP attempt goes through one queue bounding in-flight requests and the request rate.
// Transient failures (timeouts, network, HTTP 5xx/429) are retried with backoff; gateway verdicts,
// HTML pages and unreadable payloads are not, because repeating the same request cannot change them.
import PQueue from "p-queue";
import { addDays, compactYmd, daysBetween, eachDay, parseIsoDate, splitByMonth } from "../../time/kst.ts";
import { InvalidRequest, SourceError, SourceReturnedHtml, SourceUnavailable } from "../errors.ts";
import { detectGatewayError, looksLikeHtml } from "../datagokr/gateway_error.ts";
import { networkDetail, nonNegativeInt, parseRetryAfter, positiveInt } from "../datagokr/http.ts";
import { createRunControl, dayDelivery, eachChunk, requestWithRetry, type Attempt as RunAttempt, type FetchStats, type Run } from "../datagokr/runs.ts";
import { encodeServiceKey, normalizeServiceKey, queryWithServiceKey, redactServiceKey } from "../datagokr/service_key.ts";
import { kospoItemDate, type KospoRawItem } from "./item.ts";
import { parseKospoResponse, type KospoPage } from "./response.ts";

const SOURCE = "KOSPO PwrSunLightInfo";

export interface KospoClientOptions {
  baseUrl: string; // e.g. https://apis.data.go.kr/B552520/PwrSunLightInfo ; request GET {baseUrl}/getDataService
  serviceKey: string; // raw value from the environment, Encoding or Decoding form
  keyVariable: string; // env var name, for messages
  concurrency?: number; // default 4 (in-flight requests)
  requestsPerSecond?: number; // default 25 (bounded request rate)
  timeoutMs?: number; // default 20000
  retries?: number; // default 3; only timeouts, network errors, HTTP 5xx and 429 (Retry-After honoured)
  numOfRows?: number; // default 100
  retryBaseDelayMs?: number; // default 500; first backoff step, doubled per retry
  signal?: AbortSignal;
  fetch?: typeof fetch; // injectable, default globalThis.fetch
  /** Called before every HTTP attempt (retries too); throws to refuse it (RequestBudgetSpent: the run's request budget). */
  beforeRequest?: () => Promise<void>;
}

export interface KospoRangeRequest {
  gencd: string;
  hogi: number;
  start: string; // ISO date, inclusive
  end: string; // ISO date, inclusive
}

export type KospoDayResult =
  | { gencd: string; hogi: number; ymd: string; outcome: "data"; item: Record<string, string> }
  | { gencd: string; hogi: number; ymd: string; outcome: "empty" }
  | { gencd: string; hogi: number; ymd: string; outcome: "failed"; reason: string; errorCode: string };

export type KospoFetchStats = FetchStats;

export interface KospoClient {
  /** Calls onDay exactly once per day of every range (one call at a time), unless quota, key rejection or abort stops the run. */
  fetchDays(reqs: KospoRangeRequest[], onDay: (r: KospoDayResult) => void | Promise<void>): Promise<KospoFetchStats>;
  /** The first date in [earliest, latest] with data, or null. */
  probeFirstDate(gencd: string, hogi: number, range: { earliest: string; latest: string }): Promise<string | null>;
  stats(): KospoFetchStats;
}

interface Query {
  gencd: string;
  hogi: number;
  start: string;
  end: string;
  pageNo: number;
  numOfRows: number;
}

/** One fetchDays/probe call: its own stop switches, also thrown by client-wide stops (quota, key, abort). */
type Attempt = RunAttempt<KospoPage>;

/** The longest range asked in one request (the planner's KOSPO chunk); longer ones go by calendar month. */
const MAX_RANGE_DAYS = 31;

/** Consecutive single-day failures after which a failed range is not asked for day by day any more. */
const SINGLE_DAY_GIVE_UP = 3;

export function createKospoClient(opts: KospoClientOptions): KospoClient {
  const key = normalizeServiceKey(opts.serviceKey, opts.keyVariable);
  const concurrency = positiveInt(opts.concurrency ?? 4, "concurrency");
  const requestsPerSecond = positiveInt(opts.requestsPerSecond ?? 25, "requestsPerSecond");
  const timeoutMs = positiveInt(opts.timeoutMs ?? 20_000, "timeoutMs");
  const retries = nonNegativeInt(opts.retries ?? 3, "retries");
  const numOfRows = positiveInt(opts.numOfRows ?? 100, "numOfRows");
  const retryBaseDelayMs = opts.retryBaseDelayMs ?? 500;
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const endpoint = `${opts.baseUrl.replace(/\/+$/, "")}/getDataService`;
  const keyForms = [...new Set([opts.serviceKey.trim(), key, encodeServiceKey(key)])].filter((s) => s.length >= 4);

  const queue = new PQueue({ concurrency, intervalCap: requestsPerSecond, interval: 1000, strict: true });
  const control = createRunControl(opts.signal);
  const { count, withRun } = control;

  // Never report the key: neither in the URL nor inside a network error text.
  const scrub = (text: string): string => keyForms.reduce((t, k) => t.replaceAll(k, "***"), redactServiceKey(text));

  const describe = (q: Query) =>
    `getDataService?serviceKey=***&strOrgCd=${q.gencd}&strHoki=${q.hogi}&strSdate=${compactYmd(q.start)}&strEdate=${compactYmd(q.end)}&pageNo=${q.pageNo}&numOfRows=${q.numOfRows}`;

  async function attemptOnce(run: Run, q: Query, request: string): Promise<Attempt> {
    const url = `${endpoint}?${queryWithServiceKey(key, {
      pageNo: q.pageNo,
      numOfRows: q.numOfRows,
      strSdate: compactYmd(q.start),
      strEdate: compactYmd(q.end),
      strOrgCd: q.gencd,
      strHoki: q.hogi,
    })}`;
    await opts.beforeRequest?.();
    const timeout = AbortSignal.timeout(timeoutMs);
    count(run, "requests");
    let status: number;
    let body: string;
    let retryAfter: string | null;
    try {
      const res = await doFetch(url, { signal: AbortSignal.any([run.cancelInFlight.signal, timeout]) });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      body = await res.text();
    } catch (e) {
      if (run.cancelInFlight.signal.aborted) throw run.fatal;
      if (timeout.aborted) return { ok: false, detail: `no answer within ${timeoutMs} ms` };
      return { ok: false, detail: `network error (${scrub(networkDetail(e))})` };
    }
    if (status === 429 || status >= 500) {
      return { ok: false, detail: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfter) };
    }
    const ctx = { source: SOURCE, request, keyVariable: opts.keyVariable, status };
    if (status !== 200) {
      // Some gateways send their verdict with 401/403; anything else in 4xx is a refused request.
      const gateway = detectGatewayError(body, ctx);
      if (gateway) throw gateway;
      if (looksLikeHtml(body)) throw new SourceReturnedHtml(SOURCE, request, status);
      throw new InvalidRequest(SOURCE, request, `HTTP ${status}`, String(status));
    }
    try {
      return { ok: true, page: parseKospoResponse(body, ctx) };
    } catch (e) {
      if (e instanceof SourceUnavailable) return { ok: false, detail: e.message }; // envelope-level service timeout
      throw e;
    }
  }

  /** One page, retried on transient failures; quota and key errors stop the whole client. */
  const request = (run: Run, q: Query, priority: number): Promise<KospoPage> => {
    const described = describe(q);
    return requestWithRetry(run, control, queue, { source: SOURCE, retries, retryBaseDelayMs, scrub }, described, priority, () => attemptOnce(run, q, described));
  };

  /** Page 1, then the remaining pages by totalCount. A failure after page 1 is returned with the items that did arrive. */
  async function fetchPages(run: Run, gencd: string, hogi: number, start: string, end: string, firstPriority = 1) {
    const base = { gencd, hogi, start, end, numOfRows };
    const first = await request(run, { ...base, pageNo: 1 }, firstPriority);
    // A service that caps the page size says so in numOfRows: page by what it serves, not by what was asked.
    const perPage = first.numOfRows >= 1 && first.numOfRows < numOfRows ? first.numOfRows : numOfRows;
    // At most one item per day: a larger totalCount must not turn into thousands of page requests.
    const pageCount = Math.min(Math.ceil(first.totalCount / perPage), Math.ceil((daysBetween(start, end) + 1) / perPage));
    const rest = await Promise.allSettled(
      Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => request(run, { ...base, numOfRows: perPage, pageNo: i + 2 }, 1)),
    );
    const items = [...first.items];
    let failure: unknown;
    for (const r of rest) {
      if (r.status === "fulfilled") items.push(...r.value.items);
      else failure ??= r.reason;
    }
    return { items, failure, totalCount: first.totalCount };
  }

  /** Items by ISO date within [start, end]; later duplicates win. */
  function byDay(items: KospoRawItem[], start: string, end: string): Map<string, KospoRawItem> {
    const out = new Map<string, KospoRawItem>();
    for (const item of items) {
      const day = kospoItemDate(item);
      if (day >= start && day <= end) out.set(day, item);
    }
    return out;
  }

  /** The day's item in the answer to [day, end], or undefined; a failed page throws. */
  async function fetchDayAsking(run: Run, gencd: string, hogi: number, day: string, end: string): Promise<KospoRawItem | undefined> {
    const r = await fetchPages(run, gencd, hogi, day, end);
    if (r.failure !== undefined) throw r.failure;
    return byDay(r.items, day, day).get(day);
  }

  /** A day the range answer left out: alone, then with strEdate = day+1 (DOMAIN §1.3). */
  async function fetchMissingDay(run: Run, gencd: string, hogi: number, day: string): Promise<KospoRawItem | undefined> {
    return (await fetchDayAsking(run, gencd, hogi, day, day)) ?? (await fetchDayAsking(run, gencd, hogi, day, addDays(day, 1)));
  }

  /**
   * A range request failed (HTML page, broken XML, no answer): ask day by day so one bad day does
   * not fail the month. After SINGLE_DAY_GIVE_UP failures in a row the source is considered broken
   * and the remaining days are reported failed without more requests.
   */
  async function fetchDaysSingly(run: Run, gencd: string, hogi: number, days: string[], rangeError: unknown, resolved: Map<string, KospoDayResult>) {
    const failed = (day: string, e: unknown): KospoDayResult => ({ gencd, hogi, ymd: day, outcome: "failed", ...failureOf(e, scrub) });
    if (days.length === 1) {
      resolved.set(days[0], failed(days[0], rangeError));
      return;
    }
    let inARow = 0;
    for (const day of days) {
      if (inARow >= SINGLE_DAY_GIVE_UP) {
        resolved.set(day, failed(day, rangeError));
        continue;
      }
      try {
        const item = await fetchMissingDay(run, gencd, hogi, day);
        resolved.set(day, item ? { gencd, hogi, ymd: day, outcome: "data", item } : { gencd, hogi, ymd: day, outcome: "empty" });
        inARow = 0;
      } catch (e) {
        if (run.fatal !== undefined) throw run.fatal;
        resolved.set(day, failed(day, e));
        inARow++;
      }
    }
  }

  /**
   * The range answered no data (resultCode 03 or no item). The one day the §1.3 quirk can hide
   * from it is its last day (answered only when strEdate is the next day): that day is asked once
   * more with strEdate = day+1; every other day is empty without a request of its own. An empty
   * unit-month so costs 2 requests instead of 1 + 2 per day.
   */
  async function resolveEmptyRange(run: Run, gencd: string, hogi: number, days: string[], resolved: Map<string, KospoDayResult>) {
    const last = days[days.length - 1];
    for (const day of days.slice(0, -1)) resolved.set(day, { gencd, hogi, ymd: day, outcome: "empty" });
    try {
      const item = await fetchDayAsking(run, gencd, hogi, last, addDays(last, 1));
      resolved.set(last, item ? { gencd, hogi, ymd: last, outcome: "data", item } : { gencd, hogi, ymd: last, outcome: "empty" });
    } catch (e) {
      if (run.fatal !== undefined) throw run.fatal;
      resolved.set(last, { gencd, hogi, ymd: last, outcome: "failed", ...failureOf(e, scrub) });
    }
  }

  /** Resolve every day of one chunk into `resolved`; throws only when the run was stopped. */
  async function fetchChunk(run: Run, gencd: string, hogi: number, start: string, end: string, resolved: Map<string, KospoDayResult>) {
    const failed = (day: string, e: unknown): KospoDayResult => ({ gencd, hogi, ymd: day, outcome: "failed", ...failureOf(e, scrub) });
    const days = eachDay(start, end);
    let pages: Awaited<ReturnType<typeof fetchPages>>;
    try {
      pages = await fetchPages(run, gencd, hogi, start, end, 0); // a new chunk waits behind pages and re-checks of started ones
    } catch (e) {
      if (run.fatal !== undefined) throw run.fatal;
      // A server that keeps failing is not asked 31 more times; a bad answer for a range is.
      if (e instanceof SourceUnavailable) for (const day of days) resolved.set(day, failed(day, e));
      else await fetchDaysSingly(run, gencd, hogi, days, e, resolved);
      return;
    }
    for (const [day, item] of byDay(pages.items, start, end)) resolved.set(day, { gencd, hogi, ymd: day, outcome: "data", item });
    if (run.fatal !== undefined) throw run.fatal;
    const missing = days.filter((d) => !resolved.has(d));
    if (pages.failure !== undefined) {
      // Which days the failed page held is unknown: report them failed rather than hammer a broken answer day by day.
      for (const day of missing) resolved.set(day, failed(day, pages.failure));
      return;
    }
    if (pages.items.length === 0) {
      await resolveEmptyRange(run, gencd, hogi, days, resolved);
      return;
    }
    // A range that had data: each day it left out is asked alone, then with strEdate = day+1.
    await Promise.allSettled(
      missing.map(async (day) => {
        try {
          const item = await fetchMissingDay(run, gencd, hogi, day);
          resolved.set(day, item ? { gencd, hogi, ymd: day, outcome: "data", item } : { gencd, hogi, ymd: day, outcome: "empty" });
        } catch (e) {
          if (run.fatal === undefined) resolved.set(day, failed(day, e));
        }
      }),
    );
    if (run.fatal !== undefined) throw run.fatal;
  }

  async function fetchDays(reqs: KospoRangeRequest[], onDay: (r: KospoDayResult) => void | Promise<void>): Promise<KospoFetchStats> {
    // A range of up to a month's length (a planner chunk) is asked as one; a longer one by calendar
    // month: the API's maximum range is undocumented, and a failure then costs at most a month.
    const chunks = reqs.flatMap((r) => {
      checkRange(r);
      const pieces = daysBetween(r.start, r.end) < MAX_RANGE_DAYS ? [{ start: r.start, end: r.end }] : splitByMonth(r.start, r.end);
      return pieces.map((m) => ({ gencd: r.gencd, hogi: r.hogi, ...m }));
    });
    return withRun(async (run) => {
      // One onDay call at a time, in date order within a chunk; a throwing onDay stops the run.
      const days = dayDelivery<KospoDayResult>(run, control, onDay);
      await eachChunk(run, control, chunks, concurrency * 2, async (c) => {
        const resolved = new Map<string, KospoDayResult>();
        try {
          await fetchChunk(run, c.gencd, c.hogi, c.start, c.end, resolved);
        } finally {
          // Also after a stop: whatever was already fetched is handed over before the error surfaces.
          await days.deliver(eachDay(c.start, c.end).flatMap((d) => resolved.get(d) ?? []));
        }
      });
      await days.finish();
      return { ...run.stats };
    });
  }

  async function probeFirstDate(gencd: string, hogi: number, range: { earliest: string; latest: string }): Promise<string | null> {
    checkRange({ gencd, hogi, start: range.earliest, end: range.latest });
    return withRun(async (run) => {
      const hasData = async (start: string, end: string) =>
        (await request(run, { gencd, hogi, start, end, pageNo: 1, numOfRows: 1 }, 0)).totalCount > 0;
      const firstYear = Number(range.earliest.slice(0, 4));
      const lastYear = Number(range.latest.slice(0, 4));
      for (let year = firstYear; year <= lastYear; year++) {
        const start = maxDate(range.earliest, `${year}-01-01`);
        const end = minDate(range.latest, `${year}-12-31`);
        let yearHasData: boolean;
        try {
          yearHasData = await hasData(start, end);
        } catch (e) {
          if (!(e instanceof InvalidRequest)) throw e;
          yearHasData = true; // a year may exceed the allowed range: let the month scan decide
        }
        if (!yearHasData) continue;
        for (const month of splitByMonth(start, end)) {
          const pages = await fetchPages(run, gencd, hogi, month.start, month.end);
          if (pages.failure !== undefined) throw pages.failure;
          const days = [...byDay(pages.items, month.start, month.end).keys()].sort();
          if (days.length > 0) return days[0];
        }
      }
      return null;
    });
  }

  return { fetchDays, probeFirstDate, stats: control.totals };
}

function failureOf(e: unknown, scrub: (text: string) => string): { reason: string; errorCode: string } {
  if (e instanceof SourceError) return { reason: scrub(e.message), errorCode: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  return { reason: scrub(err.message), errorCode: err.name };
}

function checkRange(r: KospoRangeRequest): void {
  if (typeof r.gencd !== "string" || r.gencd.trim() === "") throw new RangeError("gencd must be a plant code such as 997S");
  nonNegativeInt(r.hogi, `hogi of ${r.gencd}`);
  parseIsoDate(r.start, `start of ${r.gencd}/${r.hogi}`);
  parseIsoDate(r.end, `end of ${r.gencd}/${r.hogi}`);
  if (r.start > r.end) throw new RangeError(`range of ${r.gencd}/${r.hogi} starts after it ends (${r.start} > ${r.end})`);
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

