// KMA ASOS hourly weather fetcher: GET {baseUrl}/getWthrDataList (DOMAIN §3, §14).
// One station per request, ranges chunked to ≤ 30 days, every page of `totalCount` fetched and the
// rows counted (a short answer is a failure, never a silent truncation). Every HTTP attempt goes
// through one queue bounding in-flight requests and the request rate; timeouts, network errors and
// HTTP 5xx/429 are retried with backoff; gateway verdicts are not (quota stops the run cleanly, key
// errors fail fast), exactly as for KOSPO.
import PQueue from "p-queue";
import { addDays, compactYmd, daysBetween, eachDay, parseIsoDate, todayKst } from "../../time/kst.ts";
import { InvalidRequest, SourceError, SourceReturnedHtml, SourceUnavailable, BadPayload } from "../errors.ts";
import { detectGatewayError, looksLikeHtml } from "../datagokr/gateway_error.ts";
import { networkDetail, nonNegativeInt, parseRetryAfter, positiveInt } from "../datagokr/http.ts";
import { createRunControl, dayDelivery, eachChunk, requestWithRetry, type Attempt as RunAttempt, type FetchStats, type Run } from "../datagokr/runs.ts";
import { encodeServiceKey, normalizeServiceKey, queryWithServiceKey, redactServiceKey } from "../datagokr/service_key.ts";
import { asosItemDate, asosItemTime, type AsosRawItem } from "./item.ts";
import { parseAsosResponse, type AsosPage } from "./response.ts";

export const ASOS_SOURCE = "KMA ASOS getWthrDataList";

/** Hourly ASOS data exists up to yesterday (KST); asking for today or later is a usage error. */
export class DateNotPublished extends RangeError {
  readonly code = "DateNotPublished";
  readonly retryable = false;
  constructor(end: string, latest: string) {
    super(`ASOS publishes hourly data up to yesterday (${latest} KST); ${end} is not available yet`);
    this.name = "DateNotPublished";
  }
}

export interface AsosClientOptions {
  baseUrl: string; // e.g. https://apis.data.go.kr/1360000/AsosHourlyInfoService ; request GET {baseUrl}/getWthrDataList
  serviceKey: string; // raw value from the environment, Encoding or Decoding form
  keyVariable: string; // env var name, for messages
  concurrency?: number; // default 4 (in-flight requests)
  requestsPerSecond?: number; // default 25
  timeoutMs?: number; // default 20000
  retries?: number; // default 3; timeouts, network errors, HTTP 5xx and 429 (Retry-After honoured)
  numOfRows?: number; // default 999 (page size asked for)
  chunkDays?: number; // default 30 (≤ 41 would fit one 999-row page; DOMAIN §9.26)
  retryBaseDelayMs?: number; // default 500, doubled per retry
  today?: string; // KST date considered today (tests); default todayKst()
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Called before every HTTP attempt (retries too); throws to refuse it (RequestBudgetSpent: the run's request budget). */
  beforeRequest?: () => Promise<void>;
}

export interface AsosRangeRequest {
  stnId: number;
  start: string; // ISO date, inclusive
  end: string; // ISO date, inclusive
}

export type AsosDayResult =
  | { stnId: number; ymd: string; outcome: "data"; items: AsosRawItem[] }
  | { stnId: number; ymd: string; outcome: "empty" }
  | { stnId: number; ymd: string; outcome: "failed"; reason: string; errorCode: string };

export type AsosFetchStats = FetchStats;

export interface AsosClient {
  /** Calls onDay exactly once per station-day of every range (one call at a time), unless quota, key rejection or abort stops the run. */
  fetchDays(reqs: AsosRangeRequest[], onDay: (r: AsosDayResult) => void | Promise<void>): Promise<AsosFetchStats>;
  stats(): AsosFetchStats;
}

interface Query {
  stnId: number;
  start: string;
  end: string;
  pageNo: number;
  numOfRows: number;
}

type Attempt = RunAttempt<AsosPage>;

export function createAsosClient(opts: AsosClientOptions): AsosClient {
  const key = normalizeServiceKey(opts.serviceKey, opts.keyVariable);
  const concurrency = positiveInt(opts.concurrency ?? 4, "concurrency");
  const requestsPerSecond = positiveInt(opts.requestsPerSecond ?? 25, "requestsPerSecond");
  const timeoutMs = positiveInt(opts.timeoutMs ?? 20_000, "timeoutMs");
  const retries = nonNegativeInt(opts.retries ?? 3, "retries");
  const numOfRows = positiveInt(opts.numOfRows ?? 999, "numOfRows");
  const chunkDays = positiveInt(opts.chunkDays ?? 30, "chunkDays");
  const retryBaseDelayMs = opts.retryBaseDelayMs ?? 500;
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const endpoint = `${opts.baseUrl.replace(/\/+$/, "")}/getWthrDataList`;
  const keyForms = [...new Set([opts.serviceKey.trim(), key, encodeServiceKey(key)])].filter((s) => s.length >= 4);

  const queue = new PQueue({ concurrency, intervalCap: requestsPerSecond, interval: 1000, strict: true });
  const control = createRunControl(opts.signal);
  const { count, withRun } = control;

  const scrub = (text: string): string => keyForms.reduce((t, k) => t.replaceAll(k, "***"), redactServiceKey(text));

  const params = (q: Query) => ({
    pageNo: q.pageNo,
    numOfRows: q.numOfRows,
    dataType: "JSON",
    dataCd: "ASOS",
    dateCd: "HR",
    startDt: compactYmd(q.start),
    startHh: "00",
    endDt: compactYmd(q.end),
    endHh: "23",
    stnIds: q.stnId,
  });
  const describe = (q: Query) =>
    `getWthrDataList?serviceKey=***&${Object.entries(params(q)).map(([k, v]) => `${k}=${v}`).join("&")}`;

  async function attemptOnce(run: Run, q: Query, request: string): Promise<Attempt> {
    const url = `${endpoint}?${queryWithServiceKey(key, params(q))}`;
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
    if (status === 429 || status >= 500) return { ok: false, detail: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfter) };
    const ctx = { source: ASOS_SOURCE, request, keyVariable: opts.keyVariable, status };
    if (status !== 200) {
      const gateway = detectGatewayError(body, ctx);
      if (gateway) throw gateway;
      if (looksLikeHtml(body)) throw new SourceReturnedHtml(ASOS_SOURCE, request, status);
      throw new InvalidRequest(ASOS_SOURCE, request, `HTTP ${status}`, String(status));
    }
    try {
      return { ok: true, page: parseAsosResponse(body, ctx) };
    } catch (e) {
      if (e instanceof SourceUnavailable) return { ok: false, detail: e.message };
      throw e;
    }
  }

  /** One page, retried on transient failures; quota and key errors stop the whole client. */
  const request = (run: Run, q: Query, priority: number): Promise<AsosPage> => {
    const described = describe(q);
    return requestWithRetry(run, control, queue, { source: ASOS_SOURCE, retries, retryBaseDelayMs, scrub }, described, priority, () => attemptOnce(run, q, described));
  };

  /**
   * Every row of one station and range: page 1, then the remaining pages of totalCount. The page size
   * is the one the server reports using (it may cap numOfRows). Fewer rows than totalCount is an error.
   */
  async function fetchAll(run: Run, stnId: number, start: string, end: string): Promise<AsosRawItem[]> {
    const base = { stnId, start, end, numOfRows };
    const first = await request(run, { ...base, pageNo: 1 }, 0);
    const hours = (daysBetween(start, end) + 1) * 24;
    const described = describe({ ...base, pageNo: 1 });
    if (first.totalCount > hours) {
      throw new BadPayload(ASOS_SOURCE, described, `totalCount ${first.totalCount} exceeds the ${hours} hours of the range`);
    }
    const pageSize = first.numOfRows > 0 && first.numOfRows < numOfRows ? first.numOfRows : numOfRows;
    const pageCount = Math.ceil(first.totalCount / pageSize);
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => request(run, { ...base, pageNo: i + 2 }, 1)),
    );
    const items = [first, ...rest].flatMap((p) => p.items);
    if (items.length < first.totalCount) {
      throw new BadPayload(ASOS_SOURCE, described, `received ${items.length} of ${first.totalCount} rows over ${pageCount} page(s); refusing a truncated answer`);
    }
    return items;
  }

  /** Resolve every day of one chunk; throws only when the run was stopped. */
  async function fetchChunk(run: Run, stnId: number, start: string, end: string): Promise<AsosDayResult[]> {
    const days = eachDay(start, end);
    let items: AsosRawItem[];
    try {
      items = await fetchAll(run, stnId, start, end);
    } catch (e) {
      if (run.fatal !== undefined) throw run.fatal;
      const f = failureOf(e, scrub);
      return days.map((ymd) => ({ stnId, ymd, outcome: "failed", ...f }));
    }
    // Group by the KST date of tm, latest duplicate wins, in time order; rows outside the range are ignored.
    const byDay = new Map<string, Map<number, AsosRawItem>>();
    for (const item of items) {
      const day = asosItemDate(item);
      if (day < start || day > end) continue;
      const stn = item.stnId;
      if (stn !== undefined && stn !== null && stn !== "" && Number(stn) !== stnId) continue; // another station's row
      let m = byDay.get(day);
      if (!m) byDay.set(day, (m = new Map()));
      m.set(asosItemTime(item).getTime(), item);
    }
    return days.map((ymd): AsosDayResult => {
      const m = byDay.get(ymd);
      if (!m || m.size === 0) return { stnId, ymd, outcome: "empty" };
      return { stnId, ymd, outcome: "data", items: [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, it]) => it) };
    });
  }

  async function fetchDays(reqs: AsosRangeRequest[], onDay: (r: AsosDayResult) => void | Promise<void>): Promise<AsosFetchStats> {
    const latest = addDays(opts.today ?? todayKst(), -1);
    const chunks = reqs.flatMap((r) => {
      checkRange(r, latest);
      const out: { stnId: number; start: string; end: string }[] = [];
      for (let s = r.start; s <= r.end; s = addDays(s, chunkDays)) {
        const e = addDays(s, chunkDays - 1);
        out.push({ stnId: r.stnId, start: s, end: e < r.end ? e : r.end });
      }
      return out;
    });
    return withRun(async (run) => {
      const days = dayDelivery<AsosDayResult>(run, control, onDay);
      await eachChunk(run, control, chunks, concurrency * 2, async (c) => {
        await days.deliver(await fetchChunk(run, c.stnId, c.start, c.end));
      });
      await days.finish();
      return { ...run.stats };
    });
  }

  return { fetchDays, stats: control.totals };
}

function checkRange(r: AsosRangeRequest, latest: string): void {
  if (!Number.isInteger(r.stnId) || r.stnId <= 0) throw new RangeError(`stnId must be an ASOS station number such as 108, got ${r.stnId}`);
  parseIsoDate(r.start, `start of station ${r.stnId}`);
  parseIsoDate(r.end, `end of station ${r.stnId}`);
  if (r.start > r.end) throw new RangeError(`range of station ${r.stnId} starts after it ends (${r.start} > ${r.end})`);
  if (r.end > latest) throw new DateNotPublished(r.end, latest);
}

function failureOf(e: unknown, scrub: (text: string) => string): { reason: string; errorCode: string } {
  if (e instanceof SourceError) return { reason: scrub(e.message), errorCode: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  return { reason: scrub(err.message), errorCode: err.name };
}

