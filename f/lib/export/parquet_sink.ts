// Parquet file of an export, written by hyparquet-writer row group by row group (memory stays
// flat): typed columns — doubles, 32-bit integers, dates, instants as TIMESTAMP(MILLIS) adjusted
// to UTC (`*_utc`, and KST wall-clock times as TIMESTAMP not adjusted to UTC, `*_kst`), text as
// UTF-8 with dictionary encoding for names, methods and grades — and the columns' meaning and the
// manifest's identity in the key-value metadata.
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { ExportColumn } from "./columns.ts";
import type { ByteOut, RowSink } from "./sink.ts";

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

/** Rows per row group: large enough for compression and dictionaries, small enough for flat memory. */
export const ROW_GROUP_ROWS = 16_384;
const FLUSH_BYTES = 1 << 20;

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

/** A ByteWriter that hands its bytes on every megabyte and after each row group. */
class FlushingWriter extends ByteWriter {
  constructor(private readonly sink: ByteOut) {
    super(FLUSH_BYTES * 2);
  }
  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.flush();
    super.ensure(size);
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

/** One column's values of the current row group: numbers in a Float64Array (no boxing), text as shared UTF-8 arrays. */
class ColumnBuffer {
  private readonly numbers: Float64Array | null;
  private readonly nulls: Uint8Array | null;
  private nullCount = 0;
  private text: (Uint8Array | null)[] = [];
  private readonly seen = new Map<string, Uint8Array>();
  private readonly encoder = new TextEncoder();

  constructor(readonly column: ExportColumn, capacity: number) {
    const numeric = column.kind !== "text";
    this.numbers = numeric ? new Float64Array(capacity) : null;
    this.nulls = numeric ? new Uint8Array(capacity) : null;
  }

  set(row: number, v: string | null): void {
    if (this.numbers) {
      if (v === null) {
        this.nulls![row] = 1;
        this.nullCount++;
      } else {
        this.numbers[row] = Number(v);
        this.nulls![row] = 0;
      }
      return;
    }
    if (v === null) {
      this.text.push(null);
      return;
    }
    // Names, methods and grades repeat on every row: one byte array per distinct value.
    let b = this.seen.get(v);
    if (!b) {
      if (this.seen.size >= 4096) this.seen.clear();
      b = this.encoder.encode(v);
      this.seen.set(v, b);
    }
    this.text.push(b);
  }

  /** The group's values as the writer takes them (a typed array when no value is NULL), then reset. */
  take(rows: number): ArrayLike<unknown> {
    if (!this.numbers) {
      const t = this.text;
      this.text = [];
      return t;
    }
    let out: ArrayLike<unknown>;
    if (this.nullCount === 0) out = this.numbers.slice(0, rows);
    else {
      const a: (number | null)[] = new Array(rows);
      for (let i = 0; i < rows; i++) a[i] = this.nulls![i] ? null : this.numbers[i];
      out = a;
    }
    this.nullCount = 0;
    return out;
  }
}

export class ParquetSink implements RowSink {
  private readonly writer: ParquetWriter;
  private readonly out: FlushingWriter;
  private readonly buffers: ColumnBuffer[];
  private rows = 0;

  constructor(out: ByteOut, private readonly columns: readonly ExportColumn[], metadata: Record<string, string>) {
    this.out = new FlushingWriter(out);
    this.writer = new ParquetWriter({
      writer: this.out,
      schema: parquetSchema(columns),
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: metadata["pvpipe.version"] ? `pvpipe ${metadata["pvpipe.version"]} (hyparquet-writer)` : "pvpipe (hyparquet-writer)",
    });
    this.buffers = columns.map((c) => new ColumnBuffer(c, ROW_GROUP_ROWS));
  }

  write(fields: (string | null)[]): void {
    for (let i = 0; i < fields.length; i++) this.buffers[i].set(this.rows, fields[i]);
    if (++this.rows >= ROW_GROUP_ROWS) this.flushGroup();
  }

  finish(): void {
    this.flushGroup();
    this.writer.finish();
  }

  private flushGroup(): void {
    if (this.rows === 0) return;
    const rows = this.rows;
    this.writer.write({
      columnData: this.columns.map((c, i) => ({
        name: c.name,
        data: this.buffers[i].take(rows) as unknown[],
        // Names, methods and grades: always a dictionary (few distinct values per row group).
        ...(c.dict ? { encoding: "RLE_DICTIONARY" as const } : {}),
        // One page per column chunk here: no page index to keep in memory until the footer.
        offsetIndex: false,
        // Min/max statistics where readers filter (time, unit, names); not on the measurements,
        // whose statistics the writer would hold for every row group until the footer.
        statistics: c.kind !== "double",
      })),
      rowGroupSize: rows,
    });
    this.rows = 0;
  }
}
