// Fetch KOSPO hourly generation for one planned chunk (one unit, a range of days) into raw.
// Days whose raw payload is already stored are not fetched again unless `refetch` is set, so a
// retried step or a run after a quota stop resumes where the last one stopped.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { collectDays } from "../lib/sources/datagokr/collect_days.ts";
import { createKospoClient, type KospoDayResult } from "../lib/sources/kospo/client.ts";
import { kospoDaysToSkip, kospoPartition, storeKospoDays } from "../lib/sources/kospo/raw_store.ts";
import { parseKospoUnitKey } from "../lib/sources/kospo/units.ts";
import { eachDay } from "../lib/time/kst.ts";

type Postgresql = PgResource;
type DataGoKr = { service_key: string; base_url: string; key_name: string; timeout_ms?: number };


export async function main(
  db: Postgresql,
  kospo_api: DataGoKr,
  run_id: string,
  chunk: { asset: string; pdim: string; start: string; end: string },
  refetch: boolean = false,
  concurrency: number = 4,
  requests_per_second: number = 25,
) {
  const { gencd, hogi } = parseKospoUnitKey(chunk.pdim);
  const days = eachDay(chunk.start, chunk.end);
  return withDb(db, async (sql) => {
    const done = await kospoDaysToSkip(sql, run_id, days.map((d) => kospoPartition(d, gencd, hogi)), refetch);
    const todo = days.filter((d) => !done.has(kospoPartition(d, gencd, hogi)));
    const client = createKospoClient({
      baseUrl: kospo_api.base_url,
      serviceKey: kospo_api.service_key,
      keyVariable: kospo_api.key_name,
      timeoutMs: kospo_api.timeout_ms,
      concurrency,
      requestsPerSecond: requests_per_second,
      signal: shutdownSignal,
    });
    const counts = await collectDays<KospoDayResult>(
      todo,
      (ranges, onDay) => client.fetchDays(ranges.map((r) => ({ gencd, hogi, ...r })), onDay),
      (batch) => storeKospoDays(sql, run_id, batch),
    );
    const stats = client.stats();
    return { unit: chunk.pdim, start: chunk.start, end: chunk.end, skipped: done.size, ...counts, requests: stats.requests, retries: stats.retries };
  });
}
