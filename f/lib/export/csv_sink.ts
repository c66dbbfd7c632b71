// CSV file of an export: UTF-8 with a byte-order mark (Excel reads a BOM-less UTF-8 CSV as the
// system code page and shows Hangul as mojibake), a header row, an empty field for NULL (never 0),
// numbers as PostgreSQL prints them (dot decimal, shortest exact form), RFC 4180 quoting for text
// that needs it, and "" for an empty text (so it differs from NULL).
//
// Rows are copied byte for byte from the COPY text into one reused output buffer: PostgreSQL
// already formatted every value, so only text fields are looked at (quoting), and a field with a
// backslash sequence (rare) goes through csvField as a string.
import type { TextRow } from "../db/copy_text_rows.ts";
import type { ExportColumn } from "./columns.ts";
import type { ByteOut, RowSink } from "./sink.ts";

export const UTF8_BOM = "\uFEFF";
const FLUSH_BYTES = 1 << 18;
const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;

export function csvField(v: string | null, text: boolean): string {
  if (v === null) return "";
  if (!text) return v;
  if (v === "") return '""';
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Whether a code point is one String.prototype.trim removes (WhiteSpace and LineTerminator). */
function isTrimmed(cp: number): boolean {
  return cp === 32 || (cp >= 9 && cp <= 13) || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
}

/** The code point of the UTF-8 sequence starting at b[p]. */
function codePointAt(b: Uint8Array, p: number): number {
  const c = b[p];
  if (c < 0x80) return c;
  if (c < 0xe0) return ((c & 0x1f) << 6) | (b[p + 1] & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((b[p + 1] & 0x3f) << 6) | (b[p + 2] & 0x3f);
  return ((c & 0x07) << 18) | ((b[p + 1] & 0x3f) << 12) | ((b[p + 2] & 0x3f) << 6) | (b[p + 3] & 0x3f);
}

/** csvField's test on UTF-8 bytes b[s, e) (not empty): a quote, separator or line break, or space at either end. */
export function needsQuotes(b: Uint8Array, s: number, e: number): boolean {
  for (let p = s; p < e; p++) {
    const c = b[p];
    if (c === QUOTE || c === COMMA || c === NEWLINE || c === 13) return true;
  }
  let last = e - 1;
  while (last > s && (b[last] & 0xc0) === 0x80) last--;
  return isTrimmed(codePointAt(b, s)) || isTrimmed(codePointAt(b, last));
}

export class CsvSink implements RowSink<TextRow> {
  private buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private at = 0;
  private readonly text: boolean[];

  constructor(private readonly out: ByteOut, columns: readonly ExportColumn[], opts: { bom: boolean }) {
    this.text = columns.map((c) => c.kind === "text");
    this.string(`${opts.bom ? UTF8_BOM : ""}${columns.map((c) => c.name).join(",")}\n`);
  }

  write(row: TextRow): void {
    const { bytes, start, end } = row;
    for (let i = 0; i < row.count; i++) {
      const s = start[i];
      const e = end[i];
      // A field doubles at most (every byte a quote), plus its quotes and separator.
      this.room(s < 0 ? 1 : 2 * (e - s) + 3);
      const buf = this.buf;
      if (i > 0) buf[this.at++] = COMMA;
      if (s < 0) continue;
      if (row.isEscaped(i)) {
        this.string(csvField(row.text(i), this.text[i]));
        continue;
      }
      let at = this.at;
      if (!this.text[i] || (s < e && !needsQuotes(bytes, s, e))) {
        for (let p = s; p < e; p++) buf[at++] = bytes[p];
      } else {
        buf[at++] = QUOTE;
        for (let p = s; p < e; p++) {
          if (bytes[p] === QUOTE) buf[at++] = QUOTE;
          buf[at++] = bytes[p];
        }
        buf[at++] = QUOTE;
      }
      this.at = at;
    }
    this.room(1);
    this.buf[this.at++] = NEWLINE;
    if (this.at >= FLUSH_BYTES) this.flush();
  }

  finish(): void {
    this.flush();
  }

  private string(s: string): void {
    this.room(Buffer.byteLength(s));
    this.at += this.buf.write(s, this.at);
  }

  /** Room for `n` more bytes: flushed first if needed, grown for a field larger than the buffer. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  private flush(): void {
    if (this.at === 0) return;
    this.out.write(this.buf.subarray(0, this.at));
    this.at = 0;
  }
}
