// Parquet file of an export, streamed with memory bounded by one row group's encoded pages:
// typed columns — doubles, 32-bit integers, dates, instants as TIMESTAMP(MILLIS) adjusted to UTC
// (`*_utc`, and KST wall-clock times as TIMESTAMP not adjusted to UTC, `*_kst`), text as UTF-8 with
// dictionary encoding for names, methods and grades — and the columns' meaning and the manifest's
// identity in the key-value metadata. Numbers are dictionary-encoded too while a chunk has few
// distinct values, times delta-encoded; Snappy.
//
// Rows arrive one by one as binary COPY rows (typed values read from PostgreSQL's bytes, text looked
// up by its bytes: no string or number object per value); each column keeps the raw values of one
// page only (typed arrays allocated once), encodes and compresses it when full into the row group's
// arena, and the arena's pages are written column by column when the row group is complete. hyparquet-writer's pieces write the
// bytes (page headers, RLE/bit-packing, the footer); its ParquetWriter is not used, because it
// converts each row group through JS arrays, BigInts and growing buffers, garbage that made the
// process's memory grow with the export (233 MB for 10 years, docs/BENCH.md §10).
import { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import type { BinaryRow } from "../db/copy_binary_rows.ts";
import { ByteDictionary } from "./byte_dictionary.ts";
import type { ExportColumn } from "./columns.ts";
import type { ByteOut, RowSink } from "./sink.ts";
import { Bytes, snappyCompressInto } from "./snappy.ts";

// hyparquet's types, through the writer's signatures (hyparquet itself is not a dependency of f/).
type FileMetaData = Parameters<typeof writeMetadata>[1];
type PageHeader = Parameters<typeof writePageHeader>[1];
type SchemaElement = FileMetaData["schema"][number];
type RowGroup = FileMetaData["row_groups"][number];
type ColumnChunk = RowGroup["columns"][number];

/**
 * Rows per row group: 65,536. A group's encoded pages are held until it is complete, so this is
 * what the sink's memory scales with: for pv_weather ≈ 23 MB of values before encoding, ≈ 3.5 MB
 * encoded (in one series of 1-year exports, before times were delta-encoded, peak RSS went 149 →
 * 153 → 159 MB at 32,768 → 65,536 → 131,072 rows; the target is < 150 MB, docs/BENCH.md §10).
 * Large enough for DuckDB, Arrow or Polars to read whole column chunks and skip groups by their
 * statistics (DuckDB writes 122,880), and few (55 for 10 years of every unit): a small footer.
 */
export const ROW_GROUP_ROWS = 65_536;
/**
 * Rows per data page: each column holds one page of raw values (9 bytes per number, 5 per text
 * value: ≈ 1.5 MB for pv_weather). 4,096 doubles are 32 KB: a page costs a ≈ 20-byte header.
 */
export const PAGE_ROWS = 4_096;
/** At most this many distinct numbers in a column chunk's dictionary (8 KB of doubles); beyond it, PLAIN pages. */
const NUMBER_DICTIONARY_MAX = 1_024;
/** Text without `dict` falls back to PLAIN pages beyond this many distinct values in a chunk. */
const TEXT_DICTIONARY_MAX = 16_384;

/** How a file is cut into row groups and pages, and how large dictionaries may grow (tests use small ones). */
export interface ParquetLayout {
  groupRows: number;
  pageRows: number;
  numberDictionaryMax: number;
  textDictionaryMax: number;
}

const LAYOUT: ParquetLayout = { groupRows: ROW_GROUP_ROWS, pageRows: PAGE_ROWS, numberDictionaryMax: NUMBER_DICTIONARY_MAX, textDictionaryMax: TEXT_DICTIONARY_MAX };
/** The file is handed on in pieces of about this size. */
const FLUSH_BYTES = 1 << 18;
const MAGIC = 0x31524150; // "PAR1"
const TWO_32 = 4294967296;

export function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  const leaf = (c: ExportColumn): SchemaElement => {
    const base = { name: c.name, repetition_type: "OPTIONAL" as const };
    switch (c.kind) {
      case "text":
        return { ...base, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } };
      case "int":
        return { ...base, type: "INT32" };
      case "double":
        return { ...base, type: "DOUBLE" };
      case "date":
        return { ...base, type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" } };
      case "utc":
        return { ...base, type: "INT64", converted_type: "TIMESTAMP_MILLIS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } };
      case "kst":
        return { ...base, type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MILLIS" } };
    }
  };
  return [{ name: "root", num_children: columns.length }, ...columns.map(leaf)];
}

/** A ByteWriter used again and again (hyparquet-writer's encoders write into it): emptied, never shrunk. */
class Scratch extends ByteWriter {
  reset(): void {
    this.index = 0;
    this.offset = 0;
  }
  /** Room for `size` more bytes, to write through `view` from `index` and then `advance`. */
  reserve(size: number): void {
    this.ensure(size);
  }
  advance(size: number): void {
    this.index += size;
    this.offset += size;
  }
}

/** The file: bytes handed on every megabyte (larger pieces directly), `offset` counting all of them. */
class FileWriter extends ByteWriter {
  constructor(private readonly sink: ByteOut) {
    super(FLUSH_BYTES);
  }
  override ensure(size: number): void {
    if (this.index > 0 && this.index + size > FLUSH_BYTES) this.flush();
    super.ensure(size);
  }
  override appendBytes(value: Uint8Array): void {
    if (value.length < FLUSH_BYTES / 4) return super.appendBytes(value);
    this.flush();
    this.sink.write(value);
    this.offset += value.length;
  }
  flush(): void {
    if (this.index === 0) return;
    this.sink.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

type Statistics = NonNullable<NonNullable<ColumnChunk["meta_data"]>["statistics"]>;
type Encoding = "PLAIN" | "RLE_DICTIONARY" | "DELTA_BINARY_PACKED";

/** Unsigned lexicographic order of a[s, e) and b (Parquet's order for BYTE_ARRAY statistics). */
function compareBytes(a: Uint8Array, s: number, e: number, b: Uint8Array): number {
  const n = Math.min(e - s, b.length);
  for (let i = 0; i < n; i++) if (a[s + i] !== b[i]) return a[s + i] - b[i];
  return e - s - b.length;
}

/** Bits of a dictionary index (at least 1). */
function bitWidthOf(entries: number): number {
  let w = 1;
  while (2 ** w < entries) w++;
  return w;
}

/** Buffers every column shares, reused for every page: the values being encoded, their definition levels, the header, the compressed values and the dictionary indexes. */
interface Work {
  page: Scratch;
  levels: Scratch;
  header: Scratch;
  compressed: Bytes;
  indexes: Int32Array;
  /** The row group's encoded pages, every column's, in the order they were made. */
  arena: Bytes;
}

/** `header` (a page header) then `levels`, then `body` compressed into work.compressed, appended to `to`; returns the uncompressed size. */
function appendPage(to: Bytes | FileWriter, header: Omit<PageHeader, "uncompressed_page_size" | "compressed_page_size">, levels: Uint8Array, body: Uint8Array, work: Work): number {
  const c = work.compressed;
  c.length = 0;
  snappyCompressInto(c, body);
  const h = work.header;
  h.reset();
  writePageHeader(h, { ...header, uncompressed_page_size: levels.length + body.length, compressed_page_size: levels.length + c.length });
  if (to instanceof Bytes) {
    to.reserve(h.offset + levels.length + c.length);
    to.bytes.set(h.getBytes(), to.length);
    to.bytes.set(levels, to.length + h.offset);
    to.bytes.set(c.view(), to.length + h.offset + levels.length);
    to.length += h.offset + levels.length + c.length;
  } else {
    to.appendBytes(h.getBytes());
    to.appendBytes(levels);
    to.appendBytes(c.view());
  }
  return h.offset + levels.length + body.length;
}

/** Unsigned LEB128 of a non-negative integer below 2^53. */
function appendVarNumber(w: Scratch, v: number): void {
  while (v >= 0x80) {
    w.appendUint8((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  w.appendUint8(v);
}

const zigzag = (v: number) => (v >= 0 ? v * 2 : -v * 2 - 1);
const DELTA_BLOCK = 128;
const DELTA_MINIBLOCKS = 4;
const DELTA_MINIBLOCK = DELTA_BLOCK / DELTA_MINIBLOCKS;
const deltas = new Float64Array(DELTA_BLOCK);
/** Values beyond this are written PLAIN: their deltas (< 2^52) stay exact in a double. */
const DELTA_MAX = 2 ** 50;

/** Bit-packing, least significant bit first, of non-negative integers below 2^53 held as doubles. */
class BitPacker {
  private acc = 0;
  private bits = 0;
  constructor(private readonly w: Scratch) {}
  /** `v` < 2^n, n ≤ 32: at most 7 + 32 bits pending, exact in a double. */
  private put(v: number, n: number): void {
    this.acc += v * 2 ** this.bits;
    this.bits += n;
    while (this.bits >= 8) {
      const byte = this.acc % 256;
      this.w.appendUint8(byte);
      this.acc = (this.acc - byte) / 256;
      this.bits -= 8;
    }
  }
  write(v: number, width: number): void {
    if (width <= 32) return this.put(v, width);
    const lo = v % 2 ** 32;
    this.put(lo, 32);
    this.put((v - lo) / 2 ** 32, width - 32);
  }
}

/**
 * DELTA_BINARY_PACKED (blocks of 128 values, 4 miniblocks of 32) of integers held as doubles —
 * times: an hourly series is a few bytes per block. False (nothing written) when a value is too
 * large for exact arithmetic on doubles; then the page is PLAIN.
 */
function writeDeltaBinaryPacked(w: Scratch, values: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isInteger(values[i]) || Math.abs(values[i]) >= DELTA_MAX) return false;
  appendVarNumber(w, DELTA_BLOCK);
  appendVarNumber(w, DELTA_MINIBLOCKS);
  appendVarNumber(w, n);
  appendVarNumber(w, zigzag(values[0]));
  const packer = new BitPacker(w);
  for (let at = 1; at < n; at += DELTA_BLOCK) {
    const size = Math.min(DELTA_BLOCK, n - at);
    let min = Infinity;
    for (let i = 0; i < size; i++) {
      const d = values[at + i] - values[at + i - 1];
      deltas[i] = d;
      if (d < min) min = d;
    }
    appendVarNumber(w, zigzag(min));
    // Bit widths of the 4 miniblocks (0 for those past the last value), then the miniblocks,
    // each padded to 32 values.
    const widthsAt = w.index;
    for (let m = 0; m < DELTA_MINIBLOCKS; m++) w.appendUint8(0);
    for (let m = 0; m * DELTA_MINIBLOCK < size; m++) {
      const from = m * DELTA_MINIBLOCK;
      const to = Math.min(from + DELTA_MINIBLOCK, size);
      let max = 0;
      for (let i = from; i < to; i++) if (deltas[i] - min > max) max = deltas[i] - min;
      let width = 0;
      while (max >= 2 ** width) width++;
      w.view.setUint8(widthsAt + m, width);
      if (width === 0) continue;
      for (let i = from; i < from + DELTA_MINIBLOCK; i++) packer.write(i < to ? deltas[i] - min : 0, width);
    }
  }
  return true;
}

/**
 * Distinct numbers of a column chunk, in an open-addressing table allocated once (no boxing, no
 * garbage). Values are told apart as they are stored: −0 from 0, and NaN is one value.
 */
class NumberDictionary {
  readonly values: Float64Array;
  size = 0;
  /** Index + 1 of the value hashed to the slot, 0 = empty. */
  private readonly slot: Int32Array;
  private readonly mask: number;
  private nan = -1;
  private static readonly f64 = new Float64Array(1);
  private static readonly u32 = new Uint32Array(NumberDictionary.f64.buffer);

  constructor(readonly max: number) {
    const slots = 2 ** Math.ceil(Math.log2(max * 2));
    this.values = new Float64Array(max);
    this.slot = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The value's index, added if new; −1 when the dictionary is full. */
  indexOf(v: number): number {
    if (v !== v) {
      if (this.nan < 0 && this.size < this.max) this.values[(this.nan = this.size++)] = v;
      return this.nan;
    }
    const { f64, u32 } = NumberDictionary;
    f64[0] = v;
    let h = Math.imul(u32[0] ^ Math.imul(u32[1], 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const at = this.slot[s];
      if (at === 0) {
        if (this.size === this.max) return -1;
        this.values[this.size] = v;
        this.slot[s] = ++this.size;
        return this.size - 1;
      }
      // 0 and −0 hash apart (their bits differ) but are ===: tell them apart by their sign.
      const w = this.values[at - 1];
      if (w === v && (v !== 0 || 1 / w === 1 / v)) return at - 1;
    }
  }

  clear(): void {
    if (this.size) this.slot.fill(0);
    this.size = 0;
    this.nan = -1;
  }
}

/**
 * One column of the current row group: the raw values of the page being filled, where its encoded
 * pages are in the arena, and how they become a column chunk (a dictionary page when one is used,
 * then the data pages).
 */
abstract class ColumnWriter {
  /** 1 where the page's row has a value (the definition levels of an OPTIONAL column). */
  protected readonly defined: Uint8Array;
  /** Non-null values in the current page. */
  protected nonNull = 0;
  /** Whether pages of this chunk may still use the dictionary, and whether one has. */
  protected dictionaryMode = true;
  protected dictionaryUsed = false;
  /** Encodings of the chunk's data pages. */
  private readonly used = new Set<Encoding>();
  /** Start and end in the arena of each encoded page of the chunk. */
  private readonly pages: number[] = [];
  private uncompressed = 0;
  private rows = 0;
  private nulls = 0;

  constructor(
    readonly column: ExportColumn,
    readonly element: SchemaElement,
    protected readonly layout: ParquetLayout,
  ) {
    this.defined = new Uint8Array(layout.pageRows);
  }

  /** Field `i` of `r` as the page's row `row`. */
  abstract set(row: number, r: BinaryRow, i: number): void;
  /** The page's values (at least one) into `work.page`: dictionary indexes or PLAIN values. */
  protected abstract encodeValues(work: Work): Encoding;
  /** Number of values in the chunk's dictionary. */
  protected abstract dictionarySize(): number;
  /** The chunk's dictionary as PLAIN values into `page`. */
  protected abstract encodeDictionary(page: Scratch): void;
  protected abstract statistics(): Statistics | undefined;
  protected abstract resetChunk(): void;

  /** Encode and compress the page of `rows` rows (data page v2) into the arena. */
  endPage(rows: number, work: Work): void {
    const { page, levels, arena } = work;
    page.reset();
    // A page without values is PLAIN (nothing to index); a chunk may mix encodings.
    const encoding = this.nonNull > 0 ? this.encodeValues(work) : "PLAIN";
    this.used.add(encoding);
    levels.reset();
    const levelBytes = writeRleBitPackedHybrid(levels, this.defined.subarray(0, rows), 1);
    const start = arena.length;
    this.uncompressed += appendPage(
      arena,
      {
        type: "DATA_PAGE_V2",
        data_page_header_v2: {
          num_values: rows,
          num_nulls: rows - this.nonNull,
          num_rows: rows,
          encoding,
          definition_levels_byte_length: levelBytes,
          repetition_levels_byte_length: 0,
          is_compressed: true,
        },
      },
      levels.getBytes(),
      page.getBytes(),
      work,
    );
    this.pages.push(start, arena.length);
    this.rows += rows;
    this.nulls += rows - this.nonNull;
    this.nonNull = 0;
  }

  /** Write the column chunk at the file's end (dictionary page, then the pages) and start the next one. */
  writeChunk(out: FileWriter, work: Work): ColumnChunk {
    const start = out.offset;
    let uncompressed = this.uncompressed;
    const encodings = new Set<Encoding>();
    if (this.dictionaryUsed) {
      const { page } = work;
      page.reset();
      this.encodeDictionary(page);
      const header = { type: "DICTIONARY_PAGE", dictionary_page_header: { num_values: this.dictionarySize(), encoding: "PLAIN" } } as const;
      uncompressed += appendPage(out, header, new Uint8Array(0), page.getBytes(), work);
      encodings.add("PLAIN"); // the dictionary page's
    }
    // A chunk that fell back from its dictionary (or has pages of NULLs only) has PLAIN pages too.
    for (const e of this.used) encodings.add(e);
    const dataPage = out.offset;
    const arena = work.arena.bytes;
    for (let i = 0; i < this.pages.length; i += 2) out.appendBytes(arena.subarray(this.pages[i], this.pages[i + 1]));
    const stats = this.statistics();
    if (stats) stats.null_count = BigInt(this.nulls);
    const chunk: ColumnChunk = {
      file_offset: BigInt(start),
      meta_data: {
        type: this.element.type!,
        encodings: [...encodings].sort(),
        path_in_schema: [this.column.name],
        codec: "SNAPPY",
        num_values: BigInt(this.rows),
        total_uncompressed_size: BigInt(uncompressed),
        total_compressed_size: BigInt(out.offset - start),
        data_page_offset: BigInt(dataPage),
        ...(this.dictionaryUsed ? { dictionary_page_offset: BigInt(start) } : {}),
        ...(stats ? { statistics: stats } : {}),
      },
    };
    this.pages.length = 0;
    this.uncompressed = 0;
    this.rows = 0;
    this.nulls = 0;
    this.dictionaryMode = true;
    this.dictionaryUsed = false;
    this.used.clear();
    this.resetChunk();
    return chunk;
  }
}

/**
 * Numbers (doubles, INT32, DATE, TIMESTAMP millis): dictionary-encoded while a chunk has few
 * distinct values (ids, distances, most weather readings), otherwise PLAIN.
 */
class NumberColumn extends ColumnWriter {
  private readonly values: Float64Array;
  private readonly dictionary: NumberDictionary;
  private readonly kind: "double" | "int32" | "int64";
  private readonly width: number;
  /** Min/max statistics: times, ids and dates, where readers filter; not on the measurements. */
  private readonly stats: boolean;
  private min = Infinity;
  private max = -Infinity;

  constructor(column: ExportColumn, element: SchemaElement, layout: ParquetLayout) {
    super(column, element, layout);
    this.values = new Float64Array(layout.pageRows);
    this.dictionary = new NumberDictionary(layout.numberDictionaryMax);
    this.kind = element.type === "DOUBLE" ? "double" : element.type === "INT64" ? "int64" : "int32";
    this.width = this.kind === "int32" ? 4 : 8;
    this.stats = column.kind !== "double";
  }

  set(row: number, r: BinaryRow, i: number): void {
    if (r.isNull(i)) {
      this.defined[row] = 0;
      return;
    }
    this.defined[row] = 1;
    const kind = this.column.kind;
    this.values[this.nonNull++] = kind === "double" ? r.float64(i) : kind === "int" ? r.int32(i) : kind === "date" ? r.dateDays(i) : r.timestampMs(i);
  }

  protected encodeValues(work: Work): Encoding {
    const n = this.nonNull;
    const values = this.values;
    if (this.stats) {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v < this.min) this.min = v;
        if (v > this.max) this.max = v;
      }
    }
    if (this.dictionaryMode) {
      const indexes = work.indexes;
      for (let i = 0; i < n; i++) {
        const at = this.dictionary.indexOf(values[i]);
        if (at < 0) {
          // Full: this page and the rest of the chunk PLAIN (the dictionary keeps what earlier pages use).
          this.dictionaryMode = false;
          break;
        }
        indexes[i] = at;
      }
      // Until a page has used it, the dictionary must pay: it and the indexes at most half the PLAIN bytes.
      const size = this.dictionary.size;
      if (this.dictionaryMode && !this.dictionaryUsed && 2 * (size * this.width + Math.ceil((n * bitWidthOf(size)) / 8)) > n * this.width) this.dictionaryMode = false;
      if (!this.dictionaryUsed && !this.dictionaryMode) this.dictionary.clear();
      if (this.dictionaryMode) {
        this.dictionaryUsed = true;
        work.page.appendUint8(bitWidthOf(size));
        writeRleBitPackedHybrid(work.page, indexes.subarray(0, n), bitWidthOf(size));
        return "RLE_DICTIONARY";
      }
    }
    if (this.kind === "int64" && writeDeltaBinaryPacked(work.page, values, n)) return "DELTA_BINARY_PACKED";
    this.writePlain(work.page, values, n);
    return "PLAIN";
  }

  private writePlain(page: Scratch, values: Float64Array, n: number): void {
    page.reserve(n * this.width);
    const view = page.view;
    let at = page.index;
    if (this.kind === "double") for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, values[i], true);
    else if (this.kind === "int32") for (let i = 0; i < n; i++, at += 4) view.setInt32(at, values[i], true);
    else {
      for (let i = 0; i < n; i++, at += 8) {
        const v = values[i];
        const hi = Math.floor(v / TWO_32);
        view.setUint32(at, v - hi * TWO_32, true);
        view.setInt32(at + 4, hi, true);
      }
    }
    page.advance(n * this.width);
  }

  protected dictionarySize(): number {
    return this.dictionary.size;
  }

  protected encodeDictionary(page: Scratch): void {
    this.writePlain(page, this.dictionary.values, this.dictionary.size);
  }

  protected statistics(): Statistics | undefined {
    if (!this.stats) return undefined;
    if (this.min > this.max) return {};
    const big = this.kind === "int64";
    return { min_value: big ? BigInt(this.min) : this.min, max_value: big ? BigInt(this.max) : this.max };
  }

  protected resetChunk(): void {
    this.dictionary.clear();
    this.min = Infinity;
    this.max = -Infinity;
  }
}

/**
 * UTF-8 text: names, methods and grades (`dict`) always as a dictionary page and RLE_DICTIONARY
 * indexes; other text too, until a chunk has more than `textDictionaryMax` distinct values, then PLAIN.
 * Values are looked up and copied as the bytes PostgreSQL sent (no string per value).
 */
class TextColumn extends ColumnWriter {
  /** Per non-null value of the page: its dictionary index. */
  private readonly indexes: Int32Array;
  /** The page's values once PLAIN: each as PLAIN encodes it (4-byte length, bytes). */
  private readonly plain = new Bytes(1024);
  /** The chunk's distinct values. */
  private readonly dictionary = new ByteDictionary();
  /** Statistics: copies, since dictionary and row bytes are reused. */
  private min: Uint8Array | null = null;
  private max: Uint8Array | null = null;

  constructor(column: ExportColumn, element: SchemaElement, layout: ParquetLayout) {
    super(column, element, layout);
    this.indexes = new Int32Array(layout.pageRows);
  }

  set(row: number, r: BinaryRow, i: number): void {
    if (r.isNull(i)) {
      this.defined[row] = 0;
      return;
    }
    this.defined[row] = 1;
    const b = r.bytes;
    const s = r.start[i];
    const e = r.end[i];
    if (!this.dictionaryMode) {
      const p = this.plain;
      p.reserve(4 + e - s);
      const out = p.bytes;
      let at = p.length;
      const n = e - s;
      out[at++] = n & 0xff;
      out[at++] = (n >>> 8) & 0xff;
      out[at++] = (n >>> 16) & 0xff;
      out[at++] = n >>> 24;
      for (let q = s; q < e; q++) out[at++] = b[q];
      p.length = at;
      this.bound(b, s, e);
      this.nonNull++;
      return;
    }
    const size = this.dictionary.size;
    const at = this.dictionary.indexOf(b, s, e);
    if (this.dictionary.size > size) this.bound(b, s, e);
    this.indexes[this.nonNull++] = at;
  }

  private bound(b: Uint8Array, s: number, e: number): void {
    if (!this.min || compareBytes(b, s, e, this.min) < 0) this.min = b.slice(s, e);
    if (!this.max || compareBytes(b, s, e, this.max) > 0) this.max = b.slice(s, e);
  }

  protected encodeValues(work: Work): Encoding {
    const n = this.nonNull;
    const page = work.page;
    if (this.dictionaryMode) {
      const size = this.dictionary.size;
      // Text without `dict` whose first page is mostly distinct values: PLAIN from the start.
      if (this.column.dict === true || this.dictionaryUsed || size * 2 <= n) {
        this.dictionaryUsed = true;
        page.appendUint8(bitWidthOf(size));
        writeRleBitPackedHybrid(page, this.indexes.subarray(0, n), bitWidthOf(size));
        if (this.column.dict !== true && size > this.layout.textDictionaryMax) this.dictionaryMode = false;
        return "RLE_DICTIONARY";
      }
      for (let i = 0; i < n; i++) this.writeText(page, this.dictionary.bytes(this.indexes[i]));
      this.dictionaryMode = false;
      this.dictionary.clear();
      return "PLAIN";
    }
    page.appendBytes(this.plain.view());
    this.plain.length = 0;
    return "PLAIN";
  }

  private writeText(page: Scratch, b: Uint8Array): void {
    page.appendUint32(b.length);
    page.appendBytes(b);
  }

  protected dictionarySize(): number {
    return this.dictionary.size;
  }

  protected encodeDictionary(page: Scratch): void {
    for (let i = 0; i < this.dictionary.size; i++) this.writeText(page, this.dictionary.bytes(i));
  }

  protected statistics(): Statistics {
    return this.min && this.max ? { min_value: this.min, max_value: this.max } : {};
  }

  protected resetChunk(): void {
    this.dictionary.clear();
    this.min = null;
    this.max = null;
  }
}

export class ParquetSink implements RowSink<BinaryRow> {
  private readonly out: FileWriter;
  private readonly schema: SchemaElement[];
  private readonly columns: ColumnWriter[];
  private readonly work: Work;
  private readonly layout: ParquetLayout;
  private readonly rowGroups: RowGroup[] = [];
  private readonly kv: { key: string; value: string }[];
  private readonly createdBy: string;
  /** Rows in the current page and in the current row group; rows written. */
  private pageRows = 0;
  private groupRows = 0;
  private total = 0;

  constructor(out: ByteOut, columns: readonly ExportColumn[], metadata: Record<string, string>, layout: Partial<ParquetLayout> = {}) {
    const l = (this.layout = { ...LAYOUT, ...layout });
    this.out = new FileWriter(out);
    this.schema = parquetSchema(columns);
    this.columns = columns.map((c, i) => (c.kind === "text" ? new TextColumn(c, this.schema[i + 1], l) : new NumberColumn(c, this.schema[i + 1], l)));
    this.work = {
      page: new Scratch(l.pageRows * 8 + 64),
      levels: new Scratch(1024),
      header: new Scratch(256),
      compressed: new Bytes(l.pageRows * 8 + 64),
      indexes: new Int32Array(l.pageRows),
      arena: new Bytes(1 << 20),
    };
    this.kv = Object.entries(metadata).map(([key, value]) => ({ key, value }));
    this.createdBy = metadata["pvpipe.version"] ? `pvpipe ${metadata["pvpipe.version"]} (hyparquet-writer)` : "pvpipe (hyparquet-writer)";
    this.out.appendUint32(MAGIC);
  }

  write(r: BinaryRow): void {
    const row = this.pageRows;
    for (let i = 0; i < r.count; i++) this.columns[i].set(row, r, i);
    this.groupRows++;
    if (++this.pageRows === this.layout.pageRows) this.endPage();
    if (this.groupRows === this.layout.groupRows) this.writeGroup();
  }

  finish(): void {
    this.writeGroup();
    const meta = {
      version: 2,
      created_by: this.createdBy,
      schema: this.schema,
      num_rows: BigInt(this.total),
      row_groups: this.rowGroups,
      key_value_metadata: this.kv,
    };
    writeMetadata(this.out, meta as unknown as FileMetaData);
    this.out.appendUint32(MAGIC);
    this.out.flush();
  }

  private endPage(): void {
    for (const c of this.columns) c.endPage(this.pageRows, this.work);
    this.pageRows = 0;
  }

  /** The row group's column chunks to the file, one after the other, and their metadata kept for the footer. */
  private writeGroup(): void {
    if (this.pageRows > 0) this.endPage();
    const rows = this.groupRows;
    if (rows === 0) return;
    const start = this.out.offset;
    const chunks: ColumnChunk[] = [];
    let uncompressed = 0n;
    for (const c of this.columns) {
      const chunk = c.writeChunk(this.out, this.work);
      uncompressed += chunk.meta_data!.total_uncompressed_size;
      chunks.push(chunk);
    }
    this.rowGroups.push({ columns: chunks, total_byte_size: uncompressed, num_rows: BigInt(rows), total_compressed_size: BigInt(this.out.offset - start) });
    this.out.flush();
    this.work.arena.length = 0;
    this.total += rows;
    this.groupRows = 0;
  }
}
