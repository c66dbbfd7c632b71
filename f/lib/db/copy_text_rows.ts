// COPY … TO STDOUT, text format, split into rows of field offsets in the bytes received (no string
// per row or field): what the CSV export and the inline JSON export read. The inverse of copyField.
import { asBuffer, Carry, RowOffsets, type CopyDecoder } from "./copy_row.ts";

const UNESCAPE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const N = 78;

/** One COPY text-format field: `\N` is NULL; backslash sequences are decoded. */
export function decodeCopyField(raw: string): string | null {
  if (raw === "\\N") return null;
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e.length > 1 && e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return UNESCAPE[e] ?? e;
  });
}

/** A text-format row: field bytes as sent, escaped ones flagged (they need decoding to be read). */
export class TextRow extends RowOffsets {
  /** 1 where the field has a backslash sequence. */
  escaped = new Uint8Array(64);

  isEscaped(i: number): boolean {
    return this.escaped[i] === 1;
  }

  text(i: number): string | null {
    if (this.start[i] < 0) return null;
    const s = this.bytes.toString("utf8", this.start[i], this.end[i]);
    return this.escaped[i] ? decodeCopyField(s) : s;
  }

  /** Every field decoded (allocates; tests and small results). */
  values(): (string | null)[] {
    return Array.from({ length: this.count }, (_, i) => this.text(i));
  }

  /** Field `i` is bytes[s, e), `esc` when it has a backslash. */
  set(i: number, s: number, e: number, esc: number): void {
    if (i >= this.start.length) {
      this.fit(i);
      const escaped = new Uint8Array(this.start.length);
      escaped.set(this.escaped);
      this.escaped = escaped;
    }
    const isNull = esc === 1 && e - s === 2 && this.bytes[s + 1] === N;
    this.start[i] = isNull ? -1 : s;
    this.end[i] = isNull ? -1 : e;
    this.escaped[i] = isNull ? 0 : esc;
  }
}

/**
 * Splits a COPY text-format byte stream into rows. Every raw newline ends a row and every raw tab
 * ends a field (both arrive escaped inside values), so rows are exact whatever the chunking; a row
 * cut by a chunk boundary is carried until its newline arrives. `onRow` gets each row in order.
 */
export class CopyTextRows implements CopyDecoder {
  private readonly row = new TextRow();
  private readonly carry = new Carry();

  constructor(private readonly onRow: (row: TextRow) => void) {}

  push(chunk: Uint8Array): void {
    const buf = asBuffer(chunk);
    let at = 0;
    if (this.carry.length > 0) {
      const nl = buf.indexOf(NEWLINE);
      if (nl < 0) return this.carry.append(buf, 0, buf.length);
      this.carry.append(buf, 0, nl + 1);
      this.rows(this.carry.buf, 0, this.carry.length);
      this.carry.length = 0;
      at = nl + 1;
    }
    const done = this.rows(buf, at, buf.length);
    if (done < buf.length) this.carry.append(buf, done, buf.length);
  }

  end(): void {
    const left = this.carry.length;
    this.carry.length = 0;
    if (left) throw new Error(`COPY stream ended inside a row (${left} bytes without a newline)`);
  }

  /** Hand on every row of buf[at, len) that ends with a newline; returns where the unfinished rest starts. */
  private rows(buf: Buffer, at: number, len: number): number {
    const row = this.row;
    row.bytes = buf;
    let field = 0;
    let s = at;
    let esc = 0;
    for (let p = at; p < len; p++) {
      const b = buf[p];
      if (b > BACKSLASH) continue;
      if (b === TAB) {
        row.set(field++, s, p, esc);
        s = p + 1;
        esc = 0;
      } else if (b === NEWLINE) {
        row.set(field++, s, p, esc);
        row.count = field;
        this.onRow(row);
        field = 0;
        s = at = p + 1;
        esc = 0;
      } else if (b === BACKSLASH) esc = 1;
    }
    return at;
  }
}
