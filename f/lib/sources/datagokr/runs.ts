// What the data.go.kr clients (KOSPO, ASOS) share around their requests: a run per call
// (fetchDays, probe) that a fatal outcome stops — that run alone, or the whole client for quota,
// a rejected key or an abort, so every later call fails the same way — counters per run and
// client-wide, the retry loop of one request, the worker loop over a call's chunks, and the
// in-order hand-over of fetched days.
import { scrubError } from "./service_key.ts";
import type PQueue from "p-queue";
import { QuotaExceeded, RequestBudgetSpent, ServiceKeyRejected, SourceUnavailable } from "../errors.ts";
import { sleep } from "../../runtime/sleep.ts";

export interface FetchStats {
  requests: number;
  retries: number;
  data: number;
  empty: number;
  failed: number;
}

export interface Run {
  stopIssuing: AbortController; // drops queued requests
  cancelInFlight: AbortController; // aborts running requests
  fatal?: unknown;
  stats: FetchStats; // this call only; the client keeps running totals
}

export const emptyStats = (): FetchStats => ({ requests: 0, retries: 0, data: 0, empty: 0, failed: 0 });

export interface RunControl {
  count(run: Run, what: keyof FetchStats): void;
  stopRun(run: Run, err: unknown, cancelRunning: boolean): void;
  stopClient(err: unknown, cancelRunning: boolean): void;
  withRun<T>(body: (run: Run) => Promise<T>): Promise<T>;
  totals(): FetchStats;
}

export function createRunControl(signal?: AbortSignal): RunControl {
  const totals = emptyStats();
  const activeRuns = new Set<Run>();
  let clientFatal: unknown;

  function stopRun(run: Run, err: unknown, cancelRunning: boolean): void {
    run.fatal ??= err;
    run.stopIssuing.abort(err);
    if (cancelRunning) run.cancelInFlight.abort(err);
  }
  function stopClient(err: unknown, cancelRunning: boolean): void {
    clientFatal ??= err;
    for (const run of activeRuns) stopRun(run, err, cancelRunning);
  }
  // The signal is the process's shutdown signal, and a client is made per chunk: it is listened to
  // only while a run is active, or every chunk of a backfill would leave a listener (and the
  // client it holds) on it. A signal that fired in between is seen when the next run starts.
  const onAbort = () => stopClient(signal?.reason ?? new DOMException("The operation was aborted", "AbortError"), true);
  if (signal?.aborted) onAbort();
  return {
    count(run, what) {
      totals[what]++;
      run.stats[what]++;
    },
    stopRun,
    stopClient,
    async withRun(body) {
      if (signal?.aborted) onAbort();
      if (clientFatal !== undefined) throw clientFatal;
      const run: Run = { stopIssuing: new AbortController(), cancelInFlight: new AbortController(), stats: emptyStats() };
      activeRuns.add(run);
      if (activeRuns.size === 1) signal?.addEventListener("abort", onAbort, { once: true });
      try {
        return await body(run);
      } finally {
        activeRuns.delete(run);
        if (activeRuns.size === 0) signal?.removeEventListener("abort", onAbort);
      }
    },
    totals: () => ({ ...totals }),
  };
}

/**
 * Fetched days to the caller one `onDay` at a time, in the order handed over; a throwing onDay
 * stops the run and nothing after it is delivered. `finish` waits for the queue and rethrows.
 */
export function dayDelivery<R extends { outcome: "data" | "empty" | "failed" }>(
  run: Run,
  control: RunControl,
  onDay: (r: R) => void | Promise<void>,
): { deliver(results: R[]): Promise<void>; finish(): Promise<void> } {
  let onDayError: { error: unknown } | undefined;
  let delivery = Promise.resolve();
  return {
    deliver(results) {
      delivery = delivery.then(async () => {
        for (const r of results) {
          if (onDayError) return;
          control.count(run, r.outcome);
          try {
            await onDay(r);
          } catch (error) {
            onDayError = { error };
            control.stopRun(run, error, true);
          }
        }
      });
      return delivery;
    },
    async finish() {
      await delivery;
      if (onDayError) throw onDayError.error;
      if (run.fatal !== undefined) throw run.fatal;
    },
  };
}

/**
 * Work through a call's chunks with `workers` of them in progress (enough to keep the request
 * queue full, few enough that finished chunks are delivered early) until the run stops. A chunk
 * that throws is a bug, not a source failure: the run stops rather than lose days.
 */
export async function eachChunk<C>(run: Run, control: RunControl, chunks: C[], workers: number, fn: (c: C) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < chunks.length && run.fatal === undefined) {
      const c = chunks[next++];
      try {
        await fn(c);
      } catch (e) {
        if (run.fatal === undefined) control.stopRun(run, e, true);
      }
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(chunks.length, workers) }, worker));
}

/** One try of a request: its page, or a transient failure worth retrying (with the server's Retry-After). */
export type Attempt<P> = { ok: true; page: P } | { ok: false; detail: string; retryAfterMs?: number };

export interface RetryPolicy {
  source: string;
  retries: number;
  retryBaseDelayMs: number;
  /** Removes the service key from any text; applied to every error before it leaves the request. */
  scrub: (text: string) => string;
}

/**
 * One page through the client's rate-limited queue, retried with jittered exponential backoff (or
 * the server's Retry-After) on transient failures. Quota (or a spent request budget) stops the whole client but lets running
 * requests finish; a rejected key stops it at once; anything else thrown fails this request.
 */
export async function requestWithRetry<P>(
  run: Run,
  control: RunControl,
  queue: PQueue,
  policy: RetryPolicy,
  described: string,
  priority: number,
  attemptOnce: () => Promise<Attempt<P>>,
): Promise<P> {
  for (let attempt = 0; ; attempt++) {
    if (run.fatal !== undefined) throw run.fatal;
    let outcome: Attempt<P>;
    try {
      outcome = await queue.add(attemptOnce, { signal: run.stopIssuing.signal, priority });
    } catch (caught) {
      // Gateways may quote the request (key included) in the verdict the error carries.
      const e = scrubError(caught, policy.scrub);
      // A spent budget stops the client like the quota: running requests (already paid for) finish.
      if (e instanceof QuotaExceeded || e instanceof RequestBudgetSpent) control.stopClient(e, false);
      else if (e instanceof ServiceKeyRejected) control.stopClient(e, true);
      if (run.fatal !== undefined) throw run.fatal;
      throw e;
    }
    if (outcome.ok) return outcome.page;
    if (attempt >= policy.retries) {
      throw new SourceUnavailable(policy.source, described, `${policy.scrub(outcome.detail)}, still failing after ${attempt + 1} attempts`);
    }
    control.count(run, "retries");
    const backoff = policy.retryBaseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    await sleep(outcome.retryAfterMs ?? backoff, run.stopIssuing.signal);
  }
}
