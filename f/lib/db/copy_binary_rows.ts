// COPY … TO STDOUT WITH (FORMAT binary), split into rows of field offsets, and the values read
// straight from PostgreSQL's binary representation: what the Parquet export reads (typed values
// with no text to parse, so no decimal conversion to get exactly right and no string per field).
// Format: an 11-byte signature, flags and a header extension; per row an int16 field count, then
// per field an int32 length (−1 = NULL) and the bytes; an int16 −1 after the last row.
import { asBuffer, Carry, RowOffsets, type CopyDecoder } from "./copy_row.ts";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER = SIGNATURE.length + 8;
const TWO_32 = 2 ** 32;
/** 2000-01-01, PostgreSQL's epoch, in days and milliseconds since 1970-01-01. */
const PG_EPOCH_DAYS = 10_957;
const PG_EPOCH_MS = PG_EPOCH_DAYS * 86_400_000;

export class BinaryRow extends RowOffsets {
  text(i: number): string | null {
    return this.start[i] < 0 ? null : this.bytes.toString("utf8", this.start[i], this.end[i]);
  }

  /** int4 (and date's days). */
  int32(i: number): number {
    return this.bytes.readInt32BE(this.at(i, 4));
  }

  /** float8. */
  float64(i: number): number {
    return this.bytes.readDoubleBE(this.at(i, 8));
  }

  /** date: days since 1970-01-01. */
  dateDays(i: number): number {
    return this.int32(i) + PG_EPOCH_DAYS;
  }

  /**
   * timestamptz (UTC) or timestamp (wall clock): milliseconds since 1970-01-01, rounded. PostgreSQL
   * sends microseconds since 2000-01-01 as an int64; split so the division stays exact.
   */
  timestampMs(i: number): number {
    const at = this.at(i, 8);
    const hi = this.bytes.readInt32BE(at);
    const lo = this.bytes.readUInt32BE(at + 4);
    const q = Math.floor(hi / 1000);
    return q * TWO_32 + Math.round(((hi - q * 1000) * TWO_32 + lo) / 1000) + PG_EPOCH_MS;
  }

  /** Where field i's value starts; it must be `size` bytes (the export's SELECT casts every column to its type). */
  private at(i: number, size: number): number {
    const s = this.start[i];
    if (this.end[i] - s !== size) throw new Error(`COPY binary field ${i} has ${this.end[i] - s} bytes, expected ${size}`);
    return s;
  }

  /** Read one row from buf[at, len): the end of the row, or −1 when it is not all there. */
  read(buf: Buffer, at: number, len: number): number {
    if (len - at < 2) return -1;
    const n = buf.readInt16BE(at);
    let p = at + 2;
    this.fit(n);
    for (let i = 0; i < n; i++) {
      if (len - p < 4) return -1;
      const size = buf.readInt32BE(p);
      p += 4;
      if (size < 0) {
        this.start[i] = this.end[i] = -1;
        continue;
      }
      if (len - p < size) return -1;
      this.start[i] = p;
      this.end[i] = p += size;
    }
    this.bytes = buf;
    this.count = n;
    return p;
  }
}

/** Splits a binary COPY stream into rows; a row cut by a chunk boundary waits for the next chunk. */
export class CopyBinaryRows implements CopyDecoder {
  private readonly row = new BinaryRow();
  private readonly carry = new Carry();
  private header = false;
  private done = false;

  constructor(private readonly onRow: (row: BinaryRow) => void) {}

  push(chunk: Uint8Array): void {
    let buf = asBuffer(chunk);
    if (this.carry.length > 0) {
      this.carry.append(buf, 0, buf.length);
      buf = this.carry.buf;
    }
    const len = buf === this.carry.buf ? this.carry.length : buf.length;
    const at = this.rows(buf, len);
    if (buf === this.carry.buf) this.carry.dropTo(at);
    else if (at < len) this.carry.append(buf, at, len);
  }

  end(): void {
    const left = this.carry.length;
    this.carry.length = 0;
    if (!this.done || left) throw new Error(`COPY stream ended inside a row (${left} bytes, ${this.done ? "after" : "no"} end-of-data marker)`);
  }

  /** Hand on every complete row of buf[0, len); returns where the unfinished rest starts. */
  private rows(buf: Buffer, len: number): number {
    let at = 0;
    if (!this.header) {
      if (len < HEADER) return 0;
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error("COPY binary stream without its signature");
      const extension = buf.readInt32BE(HEADER - 4);
      if (len < HEADER + extension) return 0;
      at = HEADER + extension;
      this.header = true;
    }
    while (at < len) {
      if (this.done) throw new Error("COPY binary stream has data after its end-of-data marker");
      if (len - at >= 2 && buf.readInt16BE(at) === -1) {
        this.done = true;
        at += 2;
        continue;
      }
      const next = this.row.read(buf, at, len);
      if (next < 0) break;
      this.onRow(this.row);
      at = next;
    }
    return at;
  }
}
