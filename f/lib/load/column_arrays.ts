// Rows turned into one array per column, each value as PostgreSQL's text input for its type (NULL
// stays null): what the ingest's upsert reads with unnest($n::text[]::<type>[]).
import type { CopyValue } from "../db/copy.ts";

export function columnArrays(rows: Iterable<CopyValue[]>, width: number): { arrays: (string | null)[][]; count: number } {
  const arrays: (string | null)[][] = Array.from({ length: width }, () => []);
  let count = 0;
  for (const r of rows) {
    if (r.length !== width) throw new Error(`a row has ${r.length} values, expected ${width}`);
    for (let i = 0; i < width; i++) arrays[i].push(textOf(r[i]));
    count++;
  }
  return { arrays, count };
}

function textOf(v: CopyValue): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null; // never a float NaN/Infinity
  if (typeof v === "boolean") return v ? "t" : "f";
  return v;
}
