// Collect a chunk: fetch its partitions' raw payloads from the source and keep them exactly, each
// batch with its raw materializations in one transaction. Partitions whose payload is stored are not
// fetched again unless `refetch` (policy all), so a retried step or a run after a quota stop resumes
// where the last one stopped. A source with a daily quota takes every request from the run's request
// budget (`chunk.budget` for a continued backfill's chunk).
import type { LoadedAsset } from "../assets/graph.ts";
import type { Pool } from "../db/resource.ts";
import { inTransaction } from "../db/transaction.ts";
import { chunkKeys, type PlannedChunk } from "../planner/chunk.ts";
import { fetchWithinBudget } from "../sources/datagokr/budgeted_fetch.ts";
import type { FetchOutcome, FetchRequest, FetchStats, Fetched } from "../sources/source.ts";
import { rawPartitionsToSkip } from "../store/raw_partitions_to_skip.ts";
import { recordMaterializations } from "../store/record_materializations.ts";
import type { StopReason } from "../store/request_budgets.ts";

export interface CollectOptions<Api> {
  api: Api;
  runId: string;
  chunk: PlannedChunk;
  refetch: boolean;
  concurrency: number;
  requestsPerSecond: number;
  signal: AbortSignal;
}

export type CollectResult = {
  unit: string;
  start: string;
  end: string;
  skipped: number;
  requests: number;
  retries: number;
  stopped?: StopReason;
} & Record<FetchOutcome, number> & Record<string, unknown>;

export async function collectChunk<U, Api, F, S>(sql: Pool, asset: LoadedAsset<U, Api, F, S>, o: CollectOptions<Api>): Promise<CollectResult> {
  const { source, raw } = asset;
  const { unit, keys } = chunkKeys(asset.time, source.units.codec, o.chunk);
  const refresh = (await source.planning.alwaysPlan?.(sql, { start: o.chunk.start, end: o.chunk.end })) ?? [];
  // Read while the request budget is (fetchWithinBudget): two queries at once, not one after the other.
  const skipping = rawPartitionsToSkip(sql, raw, { runId: o.runId, partitions: keys.map((k) => k.text), refetch: o.refetch, refresh });
  skipping.catch(() => undefined); // awaited below; a budget error must not leave it unhandled
  const counts: Record<FetchOutcome, number> = { data: 0, empty: 0, failed: 0 };
  const stats: FetchStats = { requests: 0, retries: 0, extra: {} };
  const store = async (batch: Fetched<F>[]) => {
    for (const f of batch) counts[f.outcome]++;
    // One transaction, its statements pipelined: BEGIN, the payloads and their materializations
    // go in one write (f/lib/db/transaction.ts).
    await inTransaction(sql, (tx) =>
      Promise.all([
        source.raw.insert(tx, o.runId, batch),
        recordMaterializations(
          tx,
          o.runId,
          batch.map((f) => ({
            asset: raw.key,
            partition: f.partition,
            status: f.outcome === "data" ? "success" : f.outcome,
            rowCount: f.rows,
            dataVersion: f.version,
            codeVersion: raw.codeVersion,
            error: f.error,
          })),
        ),
      ]),
    );
  };
  const request = async (beforeRequest: (() => Promise<void>) | undefined): Promise<FetchRequest<U, Api>> => ({
    sql,
    runId: o.runId,
    api: o.api,
    unit,
    todo: await skipping.then((done) => keys.filter((k) => !done.has(k.text)).map((k) => k.time)),
    signal: o.signal,
    beforeRequest,
    concurrency: o.concurrency,
    requestsPerSecond: o.requestsPerSecond,
    stats,
  });
  let stopped: StopReason | null = null;
  if (source.quota) {
    const keyVariable = source.quota.keyVariable(o.api);
    ({ stopped } = await fetchWithinBudget(sql, { runId: o.runId, source: source.name, chunk: o.chunk, keyVariable }, async (before) => source.fetch(await request(before), store)));
  } else {
    await source.fetch(await request(undefined), store);
  }
  const done = await skipping;
  return {
    unit: source.units.label(o.chunk),
    start: o.chunk.start,
    end: o.chunk.end,
    skipped: done.size,
    ...counts,
    requests: stats.requests,
    retries: stats.retries,
    ...stats.extra,
    ...(stopped ? { stopped } : {}),
  };
}
