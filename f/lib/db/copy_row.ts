// A row of `COPY … TO STDOUT` as a decoder hands it on: where each field is in the bytes received,
// no string or object per field (an export of 3.6 M rows × 45 fields made ~160 M of them, and
// V8's young generation grew to its maximum for them: docs/BENCH.md §10). The row and its bytes
// are reused: valid only during the call that receives it.
export interface CopyRow {
  /** Fields in this row. */
  readonly count: number;
  /** Field i is bytes[start[i], end[i]), as sent (text format: still escaped); start[i] < 0 for NULL. */
  readonly bytes: Buffer;
  readonly start: Int32Array;
  readonly end: Int32Array;
  isNull(i: number): boolean;
  /** Field i as a string, decoded (allocates: for the few values that need one). */
  text(i: number): string | null;
}

/** Something that splits a COPY byte stream into rows. */
export interface CopyDecoder {
  push(chunk: Uint8Array): void;
  /** The stream ended: an unfinished row (or a missing binary trailer) is a truncated stream. */
  end(): void;
}

/** A row's fields as offsets into its bytes; the arrays grow when a row has more fields. */
export abstract class RowOffsets implements CopyRow {
  count = 0;
  bytes: Buffer = Buffer.alloc(0);
  start = new Int32Array(64);
  end = new Int32Array(64);

  isNull(i: number): boolean {
    return this.start[i] < 0;
  }

  abstract text(i: number): string | null;

  /** Room for field `i`. */
  protected fit(i: number): void {
    if (i < this.start.length) return;
    const size = Math.max(this.start.length * 2, i + 1);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    start.set(this.start);
    end.set(this.end);
    this.start = start;
    this.end = end;
  }
}

/** The bytes of an unfinished row, kept until the rest arrives (reused, grown when needed). */
export class Carry {
  buf = Buffer.allocUnsafe(1024);
  length = 0;
  /** Append src[from, to). */
  append(src: Uint8Array, from: number, to: number): void {
    const need = this.length + (to - from);
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    for (let p = from; p < to; p++) this.buf[this.length++] = src[p];
  }
  /** Keep only buf[from, length). */
  dropTo(from: number): void {
    this.buf.copy(this.buf, 0, from, this.length);
    this.length -= from;
  }
}

export const asBuffer = (chunk: Uint8Array): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
