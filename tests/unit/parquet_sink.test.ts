// The Parquet sink on its own, with row groups, pages and dictionaries small enough to cross every
// boundary in a few thousand rows: what hyparquet reads back equals what was written (NULLs, NaN,
// −0, negative instants, all-NULL chunks, dictionaries that fill up and fall back to PLAIN), and the
// footer's row groups, encodings and statistics say so. Its Snappy compressor gives hyparquet-writer's
// bytes exactly, and hyparquet decompresses them.
import { parquetMetadata, parquetReadObjects, snappyUncompress } from "hyparquet";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { describe, expect, it } from "vitest";
import { CopyBinaryRows } from "../../f/lib/db/copy_binary_rows.ts";
import type { ExportColumn } from "../../f/lib/export/columns.ts";
import { ParquetSink } from "../../f/lib/export/parquet_sink.ts";
import { Bytes, snappyCompressInto } from "../../f/lib/export/snappy.ts";
import { binaryCopy } from "../helpers/copy_binary.ts";
import { expectEvery } from "../helpers/expect_every.ts";

const col = (name: string, kind: ExportColumn["kind"], dict = false): ExportColumn => ({ name, kind, dict, expr: name, doc: name });
const COLUMNS: ExportColumn[] = [
  col("name", "text", true),
  col("note", "text"),
  col("hogi", "int"),
  col("big", "int"),
  col("day", "date"),
  col("t_utc", "utc"),
  col("t_kst", "kst"),
  col("v", "double"),
  col("empty", "double"),
];
const ROWS = 5_000;
const LAYOUT = { groupRows: 1_000, pageRows: 128, numberDictionaryMax: 16, textDictionaryMax: 50 };
const H = 3_600_000;

/** A deterministic pseudo-random sequence (the suite does not depend on Math.random). */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** `rows` (values as PostgreSQL prints them) through a binary COPY stream, in pieces of 1,000 bytes, into the sink. */
function feed(sink: ParquetSink, columns: ExportColumn[], rows: (string | null)[][]): void {
  const bytes = binaryCopy(columns.map((c) => c.kind), rows);
  const dec = new CopyBinaryRows((r) => sink.write(r));
  for (let at = 0; at < bytes.length; at += 1_000) dec.push(bytes.subarray(at, at + 1_000));
  dec.end();
  sink.finish();
}

/** Row i as PostgreSQL prints it, and the values a reader should see. */
function rows() {
  const rnd = lcg(7);
  const names = ["영흥태양광", "삼천포", "a,\"b\"", ""];
  const special = ["NaN", "-0", "Infinity", "-Infinity", "1e-300"];
  const out: { fields: (string | null)[]; want: Record<string, unknown> }[] = [];
  for (let i = 0; i < ROWS; i++) {
    const name = i >= 2_000 && i < 3_000 ? null : i % 7 === 0 ? null : names[i % names.length];
    // few distinct values first, then one new value per row (the chunk's dictionary fills up)
    const note = i % 11 === 0 ? null : i < 2_500 ? `n${i % 3}` : `note ${i}`;
    const v = i % 3 === 0 ? null : i < 300 || (i >= 1_000 && i < 1_500) ? String((i % 4) * 0.5) : i % 97 === 1 ? special[i % special.length] : String(rnd() * 1000 - 500);
    const t = -3 * 24 * H + i * H; // before 1970 at first
    const fields = [name, note, String(i % 5), String(i * 7919 - 1_000_000), i % 13 === 0 ? null : String(19_000 + (i % 400)), String(t), String(t + 9 * H), v, null];
    out.push({
      fields,
      want: {
        name,
        note,
        hogi: i % 5,
        big: i * 7919 - 1_000_000,
        day: i % 13 === 0 ? null : (19_000 + (i % 400)) * 86_400_000,
        t_utc: t,
        t_kst: t + 9 * H,
        v: v === null ? null : Number(v),
        empty: null,
      },
    });
  }
  return out;
}

function writeFile(data: ReturnType<typeof rows>): ArrayBuffer {
  const parts: Uint8Array[] = [];
  const sink = new ParquetSink({ write: (b) => parts.push(typeof b === "string" ? Buffer.from(b) : b.slice()) }, COLUMNS, { "pvpipe.test": "yes" }, LAYOUT);
  feed(sink, COLUMNS, data.map((r) => r.fields));
  const bytes = Buffer.concat(parts);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

const plain = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === "bigint" ? Number(v) : v);

describe("Parquet sink", () => {
  const data = rows();
  const file = writeFile(data);

  it("reads back equal, value for value, across row groups, pages and dictionary fallbacks", async () => {
    const got = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(got.length).toBe(ROWS);
    const diffs: string[] = [];
    got.forEach((r, i) => {
      for (const c of COLUMNS) {
        const a = plain(r[c.name]);
        const b = data[i].want[c.name];
        if (!Object.is(a, b)) diffs.push(`row ${i} ${c.name}: ${String(a)} ≠ ${String(b)}`);
      }
    });
    expect(diffs.slice(0, 10)).toEqual([]);
  });

  it("cuts row groups as asked and says in the footer how each chunk is encoded", () => {
    const meta = parquetMetadata(file);
    expect(meta.num_rows).toBe(BigInt(ROWS));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
    expect(meta.key_value_metadata).toEqual([{ key: "pvpipe.test", value: "yes" }]);
    const chunk = (g: number, name: string) => meta.row_groups[g].columns.find((c) => c.meta_data!.path_in_schema[0] === name)!.meta_data!;
    // names: a dictionary in every chunk that has a value; the all-NULL group has none
    expectEvery([0, 1, 3, 4].map((g) => chunk(g, "name")), (c) => c.encodings.includes("RLE_DICTIONARY") && c.dictionary_page_offset !== undefined, "name chunks");
    expect(chunk(2, "name").dictionary_page_offset).toBeUndefined();
    expect(chunk(2, "name").statistics?.null_count).toBe(1_000n);
    // text without dict: a dictionary while it pays, PLAIN for mostly distinct values and once it fills up
    expect(chunk(0, "note").encodings).toEqual(["PLAIN", "RLE_DICTIONARY"]);
    expect(chunk(0, "note").dictionary_page_offset).toBeDefined();
    expect(chunk(3, "note").encodings).toEqual(["PLAIN"]);
    expect(chunk(3, "note").dictionary_page_offset).toBeUndefined();
    // numbers: a dictionary while few distinct values, PLAIN after it fills up
    expect(chunk(0, "hogi").encodings).toContain("RLE_DICTIONARY");
    expect(chunk(0, "big").encodings).toEqual(["PLAIN"]);
    expect(chunk(0, "v").encodings).toEqual(["PLAIN", "RLE_DICTIONARY"]);
    expect(chunk(2, "v").encodings).toEqual(["PLAIN"]);
    expect(chunk(1, "empty").statistics).toBeUndefined();
    // times: DELTA_BINARY_PACKED (an hourly series is a few bytes per 128 values)
    expectEvery([0, 1, 2, 3, 4].map((g) => chunk(g, "t_utc")), (c) => c.encodings.join() === "DELTA_BINARY_PACKED", "t_utc chunks");
  });

  it("keeps min/max statistics on times, ids and dates (readers skip row groups by them)", () => {
    const meta = parquetMetadata(file);
    const stats = meta.row_groups.map((g) => g.columns.find((c) => c.meta_data!.path_in_schema[0] === "t_utc")!.meta_data!.statistics!);
    expect(stats.map((s) => [plain(s.min_value), plain(s.max_value)])).toEqual([0, 1, 2, 3, 4].map((g) => [-3 * 24 * H + g * 1_000 * H, -3 * 24 * H + (g * 1_000 + 999) * H]));
    const hogi = meta.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === "hogi")!.meta_data!.statistics!;
    expect([hogi.min_value, hogi.max_value, hogi.null_count]).toEqual([0, 4, 0n]);
  });
});

describe("Parquet sink dictionaries of numbers", () => {
  it("tell NaN, −0 and 0 apart as values of their own", async () => {
    const cycle = ["NaN", "-0", "0", "1.5", null, "-Infinity"];
    const parts: Uint8Array[] = [];
    const sink = new ParquetSink({ write: (b) => parts.push(typeof b === "string" ? Buffer.from(b) : b.slice()) }, [col("x", "double")], {}, LAYOUT);
    feed(sink, [col("x", "double")], Array.from({ length: 600 }, (_, i) => [cycle[i % cycle.length]]));
    const bytes = Buffer.concat(parts);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    expect(parquetMetadata(file).row_groups[0].columns[0].meta_data!.encodings).toEqual(["PLAIN", "RLE_DICTIONARY"]);
    const got = ((await parquetReadObjects({ file })) as { x: number | null }[]).map((r) => r.x);
    expect(got.length).toBe(600);
    const want = Array.from({ length: 600 }, (_, i) => cycle[i % cycle.length]);
    expect(got.filter((v, i) => !Object.is(v, want[i] === null ? null : Number(want[i])))).toEqual([]);
  });
});

describe("Parquet sink times", () => {
  it("DELTA_BINARY_PACKED round-trips any steps (wider than 32 bits too); values beyond 2^50 are PLAIN pages", async () => {
    const rnd = lcg(11);
    const want: (number | null)[] = [];
    let t = 1_700_000_000_000;
    for (let i = 0; i < 1_000; i++) {
      if (i % 50 === 7) want.push(null);
      else {
        // hourly runs, irregular steps, backwards steps, and (from row 600) steps wider than 32 bits
        t += i < 200 ? H : i < 400 ? Math.floor(rnd() * 1e7) - 3e6 : i < 600 ? (i % 2 ? -1 : 2 ** 31) : (i % 3 ? 2 ** 33 : -(2 ** 34));
        want.push(t);
      }
    }
    want[998] = -(2 ** 50) + 1;
    want[999] = 2 ** 50; // this last page: PLAIN
    const parts: Uint8Array[] = [];
    const sink = new ParquetSink({ write: (b) => parts.push(typeof b === "string" ? Buffer.from(b) : b.slice()) }, [col("t", "utc")], {}, { ...LAYOUT, numberDictionaryMax: 4 });
    feed(sink, [col("t", "utc")], want.map((v) => [v === null ? null : String(v)]));
    const bytes = Buffer.concat(parts);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    expect(parquetMetadata(file).row_groups[0].columns[0].meta_data!.encodings).toEqual(["DELTA_BINARY_PACKED", "PLAIN"]);
    const got = ((await parquetReadObjects({ file })) as { t: Date | null }[]).map((r) => (r.t === null ? null : r.t.getTime()));
    expect(got).toEqual(want);
  });
});

describe("Snappy", () => {
  it("compresses to hyparquet-writer's bytes, which hyparquet decompresses, into a reused buffer", () => {
    const rnd = lcg(3);
    const out = new Bytes(16);
    const inputs = [
      new Uint8Array(0),
      new Uint8Array(10).fill(7),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i % 300 < 200 ? i % 17 : Math.floor(rnd() * 256))),
      Uint8Array.from({ length: 5_000 }, () => Math.floor(rnd() * 256)),
      new Uint8Array(new Float64Array(Array.from({ length: 4_096 }, (_, i) => Math.round(Math.sin(i / 50) * 100) / 10)).buffer),
    ];
    for (const input of inputs) {
      out.length = 0;
      snappyCompressInto(out, input);
      expect(Buffer.from(out.view()).equals(Buffer.from(snappyCompress(input)))).toBe(true);
      const back = new Uint8Array(input.length);
      snappyUncompress(out.view(), back);
      expect(Buffer.from(back).equals(Buffer.from(input))).toBe(true);
    }
  });
});
