// KOSPO (남부발전) hourly PV generation fetcher: GET {baseUrl}/getDataService (DOMAIN §1), each
// page through the data.go.kr transport (queue, rate, retries of transient failures only, the key
// never reported: f/lib/sources/datagokr/transport.ts).
import { addDays, compactYmd, daysBetween, eachDay, parseIsoDate, splitByMonth } from "../../time/kst.ts";
import { InvalidRequest, SourceUnavailable } from "../errors.ts";
import { nonNegativeInt, positiveInt } from "../datagokr/http.ts";
import { dayDelivery, eachChunk, type FetchStats, type Run } from "../datagokr/runs.ts";
import { createTransport, failureOf, type TransportOptions } from "../datagokr/transport.ts";
import { kospoItemDate, type KospoRawItem } from "./item.ts";
import { parseKospoResponse, type KospoPage } from "./response.ts";

const SOURCE = "KOSPO PwrSunLightInfo";

export interface KospoClientOptions extends TransportOptions {
  numOfRows?: number; // default 100
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

/** The longest range asked in one request (the planner's KOSPO chunk); longer ones go by calendar month. */
const MAX_RANGE_DAYS = 31;

/** Consecutive single-day failures after which a failed range is not asked for day by day any more. */
const SINGLE_DAY_GIVE_UP = 3;

export function createKospoClient(opts: KospoClientOptions): KospoClient {
  const numOfRows = positiveInt(opts.numOfRows ?? 100, "numOfRows");
  const transport = createTransport(opts, { source: SOURCE, operation: "getDataService", parse: parseKospoResponse });
  const { concurrency, control, scrub } = transport;
  const { withRun } = control;

  const describe = (q: Query) =>
    `getDataService?serviceKey=***&strOrgCd=${q.gencd}&strHoki=${q.hogi}&strSdate=${compactYmd(q.start)}&strEdate=${compactYmd(q.end)}&pageNo=${q.pageNo}&numOfRows=${q.numOfRows}`;
  const params = (q: Query) => ({ pageNo: q.pageNo, numOfRows: q.numOfRows, strSdate: compactYmd(q.start), strEdate: compactYmd(q.end), strOrgCd: q.gencd, strHoki: q.hogi });

  /** One page, retried on transient failures; quota and key errors stop the whole client. */
  const request = (run: Run, q: Query, priority: number): Promise<KospoPage> => transport.request(run, params(q), describe(q), priority);

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


function checkRange(r: KospoRangeRequest): void {
  if (typeof r.gencd !== "string" || r.gencd.trim() === "") throw new RangeError("gencd must be a plant code such as 997S");
  nonNegativeInt(r.hogi, `hogi of ${r.gencd}`);
  parseIsoDate(r.start, `start of ${r.gencd}/${r.hogi}`);
  parseIsoDate(r.end, `end of ${r.gencd}/${r.hogi}`);
  if (r.start > r.end) throw new RangeError(`range of ${r.gencd}/${r.hogi} starts after it ends (${r.start} > ${r.end})`);
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

