// KMA ASOS hourly weather fetcher: GET {baseUrl}/getWthrDataList (DOMAIN §3, §14).
// One station per request, ranges chunked to ≤ 30 days, every page of `totalCount` fetched and the
// rows counted (a short answer is a failure, never a silent truncation). Every HTTP attempt goes
// through one queue bounding in-flight requests and the request rate; timeouts, network errors and
// HTTP 5xx/429 are retried with backoff; gateway verdicts are not (quota stops the run cleanly, key
// errors fail fast), exactly as for KOSPO: the same data.go.kr transport (datagokr/transport.ts).
import { addDays, compactYmd, daysBetween, eachDay, parseIsoDate, todayKst } from "../../time/kst.ts";
import { BadPayload } from "../errors.ts";
import { positiveInt } from "../datagokr/http.ts";
import { dayDelivery, eachChunk, type FetchStats, type Run } from "../datagokr/runs.ts";
import { createTransport, failureOf, type TransportOptions } from "../datagokr/transport.ts";
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

export interface AsosClientOptions extends TransportOptions {
  numOfRows?: number; // default 999 (page size asked for)
  chunkDays?: number; // default 30 (≤ 41 would fit one 999-row page; DOMAIN §9.26)
  today?: string; // KST date considered today (tests); default todayKst()
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

export function createAsosClient(opts: AsosClientOptions): AsosClient {
  const numOfRows = positiveInt(opts.numOfRows ?? 999, "numOfRows");
  const chunkDays = positiveInt(opts.chunkDays ?? 30, "chunkDays");
  const transport = createTransport(opts, { source: ASOS_SOURCE, operation: "getWthrDataList", parse: parseAsosResponse });
  const { concurrency, control, scrub } = transport;
  const { withRun } = control;

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

  /** One page, retried on transient failures; quota and key errors stop the whole client. */
  const request = (run: Run, q: Query, priority: number): Promise<AsosPage> => transport.request(run, params(q), describe(q), priority);

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


