// The collect steps' shared loop (kospo_sync, asos_collect): the days still to do are asked as
// contiguous ranges, stored in batches as they arrive, and counted by outcome. The last batch is
// stored also when the fetch stops (quota, a rejected key), so a later run resumes after it.

export type DayOutcome = "data" | "empty" | "failed";

export async function collectDays<R extends { outcome: DayOutcome }>(
  todo: string[],
  fetchDays: (ranges: { start: string; end: string }[], onDay: (d: R) => Promise<void>) => Promise<unknown>,
  store: (batch: R[]) => Promise<void>,
  flushEvery = 64,
  counts: Record<DayOutcome, number> = { data: 0, empty: 0, failed: 0 }, // also filled when the fetch stops
): Promise<Record<DayOutcome, number>> {
  let buffer: R[] = [];
  const flush = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length) await store(batch);
  };
  try {
    await fetchDays(contiguousRanges(todo), async (d) => {
      counts[d.outcome]++;
      buffer.push(d);
      if (buffer.length >= flushEvery) await flush();
    });
  } finally {
    await flush();
  }
  return counts;
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
