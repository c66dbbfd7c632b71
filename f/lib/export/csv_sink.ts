// CSV file of an export: UTF-8 with a byte-order mark (Excel reads a BOM-less UTF-8 CSV as the
// system code page and shows Hangul as mojibake), a header row, an empty field for NULL (never 0),
// numbers as PostgreSQL prints them (dot decimal, shortest exact form), RFC 4180 quoting for text
// that needs it, and "" for an empty text (so it differs from NULL).
import type { ExportColumn } from "./columns.ts";
import type { ByteOut, RowSink } from "./sink.ts";

export const UTF8_BOM = "\uFEFF";
const FLUSH_CHARS = 1 << 18;

export function csvField(v: string | null, text: boolean): string {
  if (v === null) return "";
  if (!text) return v;
  if (v === "") return '""';
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

export class CsvSink implements RowSink {
  private buf: string[] = [];
  private chars = 0;
  private readonly text: boolean[];

  constructor(private readonly out: ByteOut, columns: readonly ExportColumn[], opts: { bom: boolean }) {
    this.text = columns.map((c) => c.kind === "text");
    this.append(`${opts.bom ? UTF8_BOM : ""}${columns.map((c) => c.name).join(",")}\n`);
  }

  /** Fields are rewritten in place (the array is the decoder's, used once). */
  write(fields: (string | null)[]): void {
    for (let i = 0; i < fields.length; i++) fields[i] = csvField(fields[i], this.text[i]);
    this.append(`${fields.join(",")}\n`);
  }

  finish(): void {
    this.flush();
  }

  private append(s: string): void {
    this.buf.push(s);
    this.chars += s.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    this.out.write(this.buf.join(""));
    this.buf = [];
    this.chars = 0;
  }
}
