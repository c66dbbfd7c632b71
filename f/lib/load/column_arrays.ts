// Rows turned into one PostgreSQL array literal per column ('{2024-06-01T00:00:00.000Z,NULL,…}'):
// what the ingest's upsert reads with unnest($n::<type>[]). Built here rather than by postgres.js
// from a JS array, which quotes and regex-escapes every element and makes PostgreSQL parse each
// one twice (as text, then cast): numbers and timestamps need neither quotes nor escapes.
import type { CopyValue } from "../db/copy.ts";

export function columnArrays(rows: Iterable<CopyValue[]>, width: number): { arrays: string[]; count: number } {
  const elements: string[][] = Array.from({ length: width }, () => []);
  let count = 0;
  for (const r of rows) {
    if (r.length !== width) throw new Error(`a row has ${r.length} values, expected ${width}`);
    for (let i = 0; i < width; i++) elements[i].push(elementOf(r[i]));
    count++;
  }
  return { arrays: elements.map((e) => `{${e.join(",")}}`), count };
}

/** Characters an unquoted array element may hold (what numbers and ISO timestamps are made of). */
const BARE = /^[0-9A-Za-z_.:+-]+$/;

/** One element of an array literal: NULL, a bare token, or a double-quoted string. */
export function elementOf(v: CopyValue): string {
  if (v === null || v === undefined) return "NULL";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "NULL"; // never a float NaN/Infinity
  if (typeof v === "boolean") return v ? "t" : "f";
  if (BARE.test(v) && v.toLowerCase() !== "null") return v;
  return `"${/["\\]/.test(v) ? v.replace(/[\\"]/g, "\\$&") : v}"`;
}
