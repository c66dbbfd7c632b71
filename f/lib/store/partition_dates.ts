// The pdate range of some partition keys, as ops.asset_partitions stores pdate (the key's leading
// ISO date: the day, or a month's first day; recordMaterializations). A statement that finds given
// partitions bounds pdate by it too, so that whichever index the planner picks — the primary key,
// or (asset, pdate) when stale statistics make the asset look small — the rows read stay those of
// the range's days, never every partition of the asset.
const DATED = /^\d{4}-\d{2}-\d{2}/;

/** The first and last date the keys begin with, or null when a key begins with none. */
export function partitionDateRange(partitions: readonly string[]): { first: string; last: string } | null {
  let first: string | null = null;
  let last: string | null = null;
  for (const p of partitions) {
    if (!DATED.test(p)) return null;
    const d = p.slice(0, 10);
    if (first === null || d < first) first = d;
    if (last === null || d > last) last = d;
  }
  return first === null || last === null ? null : { first, last };
}
