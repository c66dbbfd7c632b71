// A memo of pure results that keeps only its most recent entries (oldest out first). The callers
// (sun times per day and place, the simulators' hourly values) are asked about the days of the
// chunks in progress and never again about a finished one: an unbounded memo grew with the range
// a process had loaded (the KOSPO simulator: 21 MB of heap for one year of 31 units, 3.9 MB now).
//
// The insertion order lives in a ring of keys, not in the Map: finding a Map's oldest entry with
// keys().next() walks past every entry deleted since its last rehash, which made each eviction
// cost microseconds (a third of the simulator's CPU in bench §7).
export class RecentCache<V> {
  private readonly entries = new Map<string, V>();
  /** Keys in insertion order, as a ring: the slot written next holds the oldest key (once full). */
  private readonly order: (string | undefined)[] = [];
  private next = 0;
  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`RecentCache needs a whole size ≥ 1, got ${max}`);
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (!this.entries.has(key)) {
      const oldest = this.order[this.next];
      if (oldest !== undefined) this.entries.delete(oldest);
      this.order[this.next] = key;
      this.next = (this.next + 1) % this.max;
    }
    this.entries.set(key, value);
  }
}
