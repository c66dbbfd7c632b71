// A run's requests to a source's API share one budget, however many chunks it collects at once:
// raising a flow's parallelism spreads the budget over more chunks instead of multiplying the load
// on the API. The budget is what four chunks at a time asked before (4 × 4 requests in flight,
// 4 × 25 requests/s), and a chunk never asks more than it did then, whatever the parallelism.

/** What one run may ask of a source's API at once. */
export const RUN_API_BUDGET = { inFlight: 16, requestsPerSecond: 100 } as const;

/** The most one chunk's client may ask (what each chunk had at the default parallelism of 4). */
const CHUNK_MOST = { inFlight: 4, requestsPerSecond: 25 } as const;

export interface ChunkShare {
  concurrency: number;
  requestsPerSecond: number;
}

/** One chunk's share of the run's budget when `chunksInFlight` chunks collect at the same time. */
export function chunkShare(chunksInFlight: number): ChunkShare {
  if (!Number.isInteger(chunksInFlight) || chunksInFlight < 1) throw new RangeError(`chunks in flight must be a positive integer, got ${chunksInFlight}`);
  return {
    concurrency: Math.max(1, Math.min(CHUNK_MOST.inFlight, Math.floor(RUN_API_BUDGET.inFlight / chunksInFlight))),
    // Whole requests per second: the client's limiter counts requests per one-second window.
    requestsPerSecond: Math.max(1, Math.min(CHUNK_MOST.requestsPerSecond, Math.floor(RUN_API_BUDGET.requestsPerSecond / chunksInFlight))),
  };
}
