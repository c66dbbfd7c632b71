// A memo of pure results that keeps only its most recent entries (oldest out first). The callers
// (sun times per day and place, the simulators' hourly values) are asked about the days of the
// chunks in progress and never again about a finished one: an unbounded memo grew with the range
// a process had loaded (the KOSPO simulator: 21 MB of heap for one year of 31 units, 3.9 MB now).
export class RecentCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.max && !this.entries.has(key)) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
  }
}
