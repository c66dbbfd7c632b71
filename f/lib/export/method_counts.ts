// The manifest's provenance counts: per fill-method column, how many values have each method,
// counted from the bytes of each COPY row (a string only for a method seen the first time).
import type { CopyRow } from "../db/copy_row.ts";
import { ByteDictionary } from "./byte_dictionary.ts";

const NULL_METHOD = "(null)";

interface Counter {
  index: number;
  name: string;
  values: ByteDictionary;
  /** Decoded value and count per dictionary entry. */
  names: string[];
  counts: number[];
  nulls: number;
}

export class MethodCounts {
  private readonly counters: Counter[];

  constructor(columns: { index: number; name: string }[]) {
    this.counters = columns.map((c) => ({ ...c, values: new ByteDictionary(), names: [], counts: [], nulls: 0 }));
  }

  add(row: CopyRow): void {
    for (const c of this.counters) {
      const i = c.index;
      if (row.isNull(i)) {
        c.nulls++;
        continue;
      }
      const k = c.values.indexOf(row.bytes, row.start[i], row.end[i]);
      if (k === c.counts.length) {
        c.names.push(row.text(i)!);
        c.counts.push(0);
      }
      c.counts[k]++;
    }
  }

  toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      this.counters.map((c) => {
        const m = new Map<string, number>();
        c.names.forEach((n, k) => m.set(n, (m.get(n) ?? 0) + c.counts[k]));
        if (c.nulls) m.set(NULL_METHOD, (m.get(NULL_METHOD) ?? 0) + c.nulls);
        return [c.name, Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)))];
      }),
    );
  }
}
