// Fetch KOSPO hourly generation for one planned chunk (one unit, a range of days) into raw.
// Days whose raw payload is already stored are not fetched again unless `refetch` is set, so a
// retried step or a run after a quota stop resumes where the last one stopped. Requests are taken
// from the run's request budget when it has one (`chunk.budget` for a continued backfill).
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { fetchWithinBudget } from "../lib/sources/datagokr/budgeted_fetch.ts";
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
  chunk: { asset: string; pdim: string; start: string; end: string; budget?: string; continues?: string },
  refetch: boolean = false,
  concurrency: number = 4,
  requests_per_second: number = 25,
) {
  const { gencd, hogi } = parseKospoUnitKey(chunk.pdim);
  const days = eachDay(chunk.start, chunk.end);
  return withDb(db, async (sql) => {
    const done = await kospoDaysToSkip(sql, run_id, days.map((d) => kospoPartition(d, gencd, hogi)), refetch);
    const todo = days.filter((d) => !done.has(kospoPartition(d, gencd, hogi)));
    const counts = { data: 0, empty: 0, failed: 0 };
    let stats = { requests: 0, retries: 0 };
    const { stopped } = await fetchWithinBudget(sql, { runId: run_id, source: "kospo", chunk, keyVariable: kospo_api.key_name }, async (beforeRequest) => {
      const client = createKospoClient({
        baseUrl: kospo_api.base_url,
        serviceKey: kospo_api.service_key,
        keyVariable: kospo_api.key_name,
        timeoutMs: kospo_api.timeout_ms,
        concurrency,
        requestsPerSecond: requests_per_second,
        signal: shutdownSignal,
        beforeRequest,
      });
      try {
        await collectDays<KospoDayResult>(
          todo,
          (ranges, onDay) => client.fetchDays(ranges.map((r) => ({ gencd, hogi, ...r })), onDay),
          (batch) => storeKospoDays(sql, run_id, batch),
          64,
          counts,
        );
      } finally {
        stats = client.stats();
      }
    });
    return {
      unit: chunk.pdim, start: chunk.start, end: chunk.end, skipped: done.size, ...counts, requests: stats.requests, retries: stats.retries,
      ...(stopped ? { stopped } : {}),
    };
  });
}
