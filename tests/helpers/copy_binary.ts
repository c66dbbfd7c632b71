// Rows as PostgreSQL's COPY … TO STDOUT WITH (FORMAT binary) sends them for the export's column
// kinds (int4, float8, date, timestamptz/timestamp, text), to feed the binary decoder and the
// Parquet sink without a database. Values as PostgreSQL prints them in text (numbers, "NaN",
// "-0", epoch milliseconds for instants, days since 1970 for dates).
import type { ColumnKind } from "../../f/lib/export/columns.ts";

const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;

function field(kind: ColumnKind, v: string | null): Buffer {
  if (v === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
  let body: Buffer;
  if (kind === "text") body = Buffer.from(v, "utf8");
  else if (kind === "double") (body = Buffer.alloc(8)).writeDoubleBE(Number(v));
  else if (kind === "int") (body = Buffer.alloc(4)).writeInt32BE(Number(v));
  else if (kind === "date") (body = Buffer.alloc(4)).writeInt32BE(Number(v) - PG_EPOCH_DAYS);
  else (body = Buffer.alloc(8)).writeBigInt64BE((BigInt(Number(v)) - BigInt(PG_EPOCH_MS)) * 1000n);
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** The whole binary COPY stream (signature, header, rows, end-of-data marker). */
export function binaryCopy(kinds: readonly ColumnKind[], rows: readonly (readonly (string | null)[])[]): Buffer {
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)];
  for (const r of rows) {
    const n = Buffer.alloc(2);
    n.writeInt16BE(r.length);
    parts.push(n, ...r.map((v, i) => field(kinds[i], v)));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}
