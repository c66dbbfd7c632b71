// The COPY decoders of the export: text rows (CSV, JSON) and binary rows (Parquet) as offsets into
// the bytes received, exact whatever the chunking, with typed values read from the binary format;
// and the byte dictionary that names and methods are looked up in without a string per value.
import { describe, expect, it } from "vitest";
import { copyField } from "../../f/lib/db/copy.ts";
import { CopyBinaryRows, type BinaryRow } from "../../f/lib/db/copy_binary_rows.ts";
import { CopyTextRows, decodeCopyField } from "../../f/lib/db/copy_text_rows.ts";
import { ByteDictionary } from "../../f/lib/export/byte_dictionary.ts";
import { binaryCopy } from "../helpers/copy_binary.ts";

describe("COPY text rows", () => {
  it("decodes what copyField encodes, NULL included", () => {
    const values = ["a\tb\nc\\d\re", "영흥태양광 #3", "", "\\N", "plain"];
    expect(values.map((v) => decodeCopyField(copyField(v)))).toEqual(values);
    expect(decodeCopyField(copyField(null))).toBeNull();
    const got: (string | null)[][] = [];
    const dec = new CopyTextRows((r) => got.push(r.values()));
    dec.push(Buffer.from(`${[...values, null].map(copyField).join("\t")}\n`));
    dec.end();
    expect(got).toEqual([[...values, null]]);
  });

  it("splits rows exactly whatever the chunking, even inside a multi-byte character", () => {
    const rows = [["한국남부발전", "\\N", "1.5"], ["a\\tb", "x", "-0"], ["", "\\\\N", "z"]];
    const bytes = Buffer.from(`${rows.map((r) => r.join("\t")).join("\n")}\n`, "utf8");
    for (let cut = 1; cut < bytes.length; cut++) {
      const got: (string | null)[][] = [];
      const dec = new CopyTextRows((r) => got.push(r.values()));
      dec.push(bytes.subarray(0, cut));
      dec.push(bytes.subarray(cut));
      dec.end();
      expect(got, `cut at ${cut}`).toEqual([["한국남부발전", null, "1.5"], ["a\tb", "x", "-0"], ["", "\\N", "z"]]);
    }
  });

  it("a stream that ends inside a row is an error, not a short file", () => {
    const dec = new CopyTextRows(() => {});
    dec.push(Buffer.from("a\tb\nc\t"));
    expect(() => dec.end()).toThrow(/ended inside a row/);
  });
});

describe("COPY binary rows", () => {
  const kinds = ["text", "int", "double", "date", "utc", "kst"] as const;
  const rows = [
    ["영흥", "7", "1.5", "19000", "1717200000000", "1717232400000"],
    [null, "-2147483648", "-0", "-1", "-86400000", "0"],
    ["", null, "NaN", null, "253402300799000", null],
    ["x", "1", "1e-300", "0", "-3", "1"],
  ];
  const read = (r: BinaryRow) =>
    [r.text(0), r.isNull(1) ? null : r.int32(1), r.isNull(2) ? null : r.float64(2), r.isNull(3) ? null : r.dateDays(3), r.isNull(4) ? null : r.timestampMs(4), r.isNull(5) ? null : r.timestampMs(5)];
  const want = rows.map((r) => r.map((v, i) => (v === null ? null : i === 0 ? v : Number(v))));

  it("reads int4, float8, date and timestamps as numbers, text as UTF-8, whatever the chunking", () => {
    const bytes = binaryCopy(kinds, rows);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const got: unknown[][] = [];
      const dec = new CopyBinaryRows((r) => got.push(read(r)));
      dec.push(bytes.subarray(0, cut));
      dec.push(bytes.subarray(cut));
      dec.end();
      expect(got, `cut at ${cut}`).toEqual(want);
    }
  });

  it("rounds sub-millisecond instants to the nearest millisecond, before and after 1970", () => {
    const micros = [1_500n, -1_500n, 499n, -499n, 123_456_789_999n];
    const stream = Buffer.concat([
      binaryCopy([], []).subarray(0, 19),
      ...micros.map((us) => {
        const b = Buffer.alloc(14);
        b.writeInt16BE(1, 0);
        b.writeInt32BE(8, 2);
        b.writeBigInt64BE(us - 946_684_800_000_000n, 6);
        return b;
      }),
      Buffer.from([0xff, 0xff]),
    ]);
    const got: number[] = [];
    const dec = new CopyBinaryRows((r) => got.push(r.timestampMs(0)));
    dec.push(stream);
    dec.end();
    expect(got).toEqual(micros.map((us) => Math.round(Number(us) / 1000) + 0));
  });

  it("a stream without its end-of-data marker, or a field of the wrong size, is an error", () => {
    const bytes = binaryCopy(["int"], [["1"]]);
    const dec = new CopyBinaryRows(() => {});
    dec.push(bytes.subarray(0, bytes.length - 2));
    expect(() => dec.end()).toThrow(/ended inside a row/);
    const wrong = new CopyBinaryRows((r) => r.float64(0));
    expect(() => wrong.push(bytes)).toThrow(/has 4 bytes, expected 8/);
  });
});

describe("byte dictionary", () => {
  it("numbers distinct byte strings in order of first sight, across growth and clear", () => {
    const d = new ByteDictionary();
    const words = Array.from({ length: 3_000 }, (_, i) => Buffer.from(`w${i % 1_000}${"é".repeat(i % 5)}`));
    const seen = new Map<string, number>();
    for (const w of words) {
      const k = w.toString();
      if (!seen.has(k)) seen.set(k, seen.size);
      expect(d.indexOf(w, 0, w.length)).toBe(seen.get(k));
    }
    expect(d.size).toBe(seen.size);
    expect(Array.from({ length: d.size }, (_, i) => Buffer.from(d.bytes(i)).toString())).toEqual([...seen.keys()]);
    d.clear();
    const b = Buffer.from("xx-yy");
    expect([d.indexOf(b, 3, 5), d.indexOf(b, 0, 2), d.indexOf(b, 3, 5), d.indexOf(b, 2, 2)]).toEqual([0, 1, 0, 2]);
  });
});
