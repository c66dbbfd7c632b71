// The ingest's array literals (f/lib/load/column_arrays.ts) read back by PostgreSQL exactly as the
// values went in: text that needs quoting or escaping, text that looks like NULL, empty strings,
// NULLs, numbers in every notation JavaScript prints, and timestamps.
import { describe, expect, it } from "vitest";
import { columnArrays } from "../../f/lib/load/column_arrays.ts";
import { fileTestDb } from "../helpers/db.ts";

const db = fileTestDb();

const TEXTS = ["plain", "한국남부발전(주)_하동 1호기", 'a "quoted" name', "back\\slash", "comma, and {braces}", " leading and trailing ", "", "NULL", "null", "tab\there", "line\nbreak", "µ-ünïcode ☀"];
const NUMBERS = [0, -0.5, 1234.567, 1e-7, 1.5e21, -3, 0.1 + 0.2, Number.MAX_SAFE_INTEGER];
const DATES = [new Date(Date.UTC(2024, 5, 1, 15)), new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999))];

describe("column array literals", () => {
  it("round-trip text, NULL, numbers and timestamps through their SQL types", async () => {
    const sql = db.sql;
    const n = Math.max(TEXTS.length, NUMBERS.length, DATES.length) + 1;
    const rows = Array.from({ length: n }, (_, i) => [TEXTS[i] ?? null, NUMBERS[i] ?? null, DATES[i] ?? null, i % 3 === 0 ? null : i]);
    const { arrays, count } = columnArrays(rows, 4);
    expect(count).toBe(n);
    const back = await sql.unsafe<{ t: string | null; f: number | null; at: Date | null; i: number | null }[]>(
      "select * from unnest($1::text[], $2::double precision[], $3::timestamptz[], $4::integer[]) with ordinality as r(t, f, at, i, o) order by o",
      arrays as never[],
    );
    expect(back.map((r) => r.t)).toEqual(rows.map((r) => r[0]));
    expect(back.map((r) => r.f)).toEqual(rows.map((r) => r[1]));
    expect(back.map((r) => r.at?.getTime() ?? null)).toEqual(rows.map((r) => (r[2] as Date | null)?.getTime() ?? null));
    expect(back.map((r) => r.i)).toEqual(rows.map((r) => r[3]));
  });

  it("never sends a float NaN or Infinity: they arrive as NULL", async () => {
    const sql = db.sql;
    const { arrays } = columnArrays([[Number.NaN], [Number.POSITIVE_INFINITY], [1]], 1);
    const back = await sql.unsafe<{ f: number | null }[]>("select unnest($1::double precision[]) as f", arrays as never[]);
    expect(back.map((r) => r.f)).toEqual([null, null, 1]);
  });

  it("rejects a row of the wrong width", () => {
    expect(() => columnArrays([[1, 2], [3]], 2)).toThrow("a row has 1 values, expected 2");
  });
});
