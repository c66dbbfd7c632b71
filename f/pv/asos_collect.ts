// Fetch KMA ASOS hourly weather for one planned chunk (one station, a range of days) into raw.
// Station-days whose raw payload is already stored are not fetched again unless `refetch` is set,
// so a retried step or a run after a quota stop resumes where the last one stopped. Requests are
// taken from the run's request budget when it has one (`chunk.budget` for a continued backfill).
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { fetchWithinBudget } from "../lib/sources/datagokr/budgeted_fetch.ts";
import { collectDays } from "../lib/sources/datagokr/collect_days.ts";
import { createAsosClient, type AsosDayResult } from "../lib/sources/asos/client.ts";
import { asosDaysToSkip, asosPartition, storeAsosDays } from "../lib/sources/asos/raw_store.ts";
import { parseStationKey } from "../lib/sources/asos/stations.ts";
import { eachDay } from "../lib/time/kst.ts";

type Postgresql = PgResource;
type DataGoKr = { service_key: string; base_url: string; key_name: string; timeout_ms?: number };


export async function main(
  db: Postgresql,
  asos_api: DataGoKr,
  run_id: string,
  chunk: { asset: string; pdim: string; start: string; end: string; budget?: string; continues?: string },
  refetch: boolean = false,
  concurrency: number = 4,
  requests_per_second: number = 25,
) {
  const stnId = parseStationKey(chunk.pdim);
  const days = eachDay(chunk.start, chunk.end);
  return withDb(db, async (sql) => {
    const done = await asosDaysToSkip(sql, run_id, days.map((d) => asosPartition(d, stnId)), refetch);
    const todo = days.filter((d) => !done.has(asosPartition(d, stnId)));
    const counts = { data: 0, empty: 0, failed: 0 };
    let stats = { requests: 0, retries: 0 };
    const { stopped } = await fetchWithinBudget(sql, { runId: run_id, source: "asos", chunk, keyVariable: asos_api.key_name }, async (beforeRequest) => {
      const client = createAsosClient({
        baseUrl: asos_api.base_url,
        serviceKey: asos_api.service_key,
        keyVariable: asos_api.key_name,
        timeoutMs: asos_api.timeout_ms,
        concurrency,
        requestsPerSecond: requests_per_second,
        signal: shutdownSignal,
        beforeRequest,
      });
      try {
        await collectDays<AsosDayResult>(
          todo,
          (ranges, onDay) => client.fetchDays(ranges.map((r) => ({ stnId, ...r })), onDay),
          (batch) => storeAsosDays(sql, run_id, batch),
          32, // a station-day is 24 items: smaller batches than KOSPO's day items
          counts,
        );
      } finally {
        stats = client.stats();
      }
    });
    return {
      station: chunk.pdim, start: chunk.start, end: chunk.end, skipped: done.size, ...counts, requests: stats.requests, retries: stats.retries,
      ...(stopped ? { stopped } : {}),
    };
  });
}
