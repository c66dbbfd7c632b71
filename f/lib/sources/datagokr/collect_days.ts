// The data.go.kr sources' fetch loop (KOSPO, ASOS): the days still to do are asked as contiguous
// ranges, and the days' results are handed to the store in batches as they arrive. The last batch
// is stored also when the fetch stops (quota, a rejected key), so a later run resumes after it.
import type { FetchOutcome } from "../source.ts";

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

/** The failure text a failed day is stored with. */
export const dayError = (d: { outcome: FetchOutcome; errorCode?: string; reason?: string }): string | null =>
  d.outcome === "failed" ? `${d.errorCode}: ${d.reason}` : null;
