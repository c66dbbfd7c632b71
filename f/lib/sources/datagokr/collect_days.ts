// The data.go.kr sources' fetch loop (KOSPO, ASOS): the days still to do are asked as contiguous
// ranges, and the days' results are handed to the store in batches as they arrive. The last batch
// is stored also when the fetch stops (quota, a rejected key), so a later run resumes after it.
import type { FetchOutcome, FetchRequest, Fetched } from "../source.ts";
import { payloadHash } from "../payload_hash.ts";
import type { DataGoKrApi } from "./api.ts";
import type { TransportOptions } from "./transport.ts";

/** A data.go.kr client as the fetch loop uses it (KOSPO's, ASOS's). */
interface DaysClient<Q, R> {
  fetchDays(reqs: Q[], onDay: (d: R) => Promise<void>): Promise<unknown>;
  stats(): { requests: number; retries: number };
}

/**
 * A source's fetch of one unit's days: the client from the request's API resource and options,
 * the days asked as ranges (`ask` makes a range the client's request), batches of `flushEvery`
 * fetches stored as they arrive, and the request counts kept current also when the fetch stops.
 */
export async function fetchDataGoKrDays<Q, R extends { outcome: FetchOutcome }, F>(
  r: FetchRequest<unknown, DataGoKrApi>,
  create: (opts: TransportOptions) => DaysClient<Q, R>,
  ask: (range: { start: string; end: string }) => Q,
  toFetched: (d: R) => Fetched<F>,
  store: (batch: Fetched<F>[]) => Promise<void>,
  flushEvery: number,
): Promise<void> {
  const client = create({
    baseUrl: r.api.base_url,
    serviceKey: r.api.service_key,
    keyVariable: r.api.key_name,
    timeoutMs: r.api.timeout_ms ?? undefined,
    concurrency: r.concurrency,
    requestsPerSecond: r.requestsPerSecond,
    signal: r.signal,
    beforeRequest: r.beforeRequest,
  });
  try {
    await collectDays(r.todo, (ranges, onDay) => client.fetchDays(ranges.map(ask), onDay), toFetched, store, flushEvery);
  } finally {
    const { requests, retries } = client.stats();
    Object.assign(r.stats, { requests, retries });
  }
}

export async function collectDays<R extends { outcome: FetchOutcome }, T>(
  todo: string[],
  fetchDays: (ranges: { start: string; end: string }[], onDay: (d: R) => Promise<void>) => Promise<unknown>,
  toFetched: (d: R) => T,
  store: (batch: T[]) => Promise<void>,
  flushEvery: number,
): Promise<void> {
  let buffer: T[] = [];
  const flush = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length) await store(batch);
  };
  try {
    await fetchDays(contiguousRanges(todo), async (d) => {
      buffer.push(toFetched(d));
      if (buffer.length >= flushEvery) await flush();
    });
  } finally {
    await flush();
  }
}

/** Sorted ISO days → the runs of consecutive days. */
export function contiguousRanges(days: string[]): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (last && Date.parse(d) - Date.parse(last.end) === 86_400_000) last.end = d;
    else out.push({ start: d, end: d });
  }
  return out;
}

/** A day's result as the raw store keeps it: its body (item, items) hashed when there was data, a failure with its code. */
export function fetchedDay<F>(
  partition: string,
  d: { outcome: FetchOutcome; errorCode?: string; reason?: string },
  payload: F,
  body: { rows: number; value: unknown } | null,
): Fetched<F> {
  const error = d.outcome === "failed" ? `${d.errorCode}: ${d.reason}` : null;
  return { partition, outcome: d.outcome, payload, rows: body?.rows ?? 0, version: body ? payloadHash(body.value) : null, error };
}
