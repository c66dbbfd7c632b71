// COPY rows into a table through postgres.js, in text format, streamed in large chunks.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Sql } from "./resource.ts";

export type CopyValue = string | number | boolean | Date | null | undefined;

/** COPY text-format field: NULL as \N, backslash and control characters escaped. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "\\N"; // NaN must never reach PostgreSQL as a float NaN
    return String(v);
  }
  if (typeof v === "boolean") return v ? "t" : "f";
  return v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

const CHUNK_ROWS = 5000;

export async function copyRows(sql: Sql, table: string, columns: string[], rows: Iterable<CopyValue[]>): Promise<number> {
  if (!/^[a-z_][a-z0-9_.]*$/.test(table) || columns.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c))) {
    throw new Error(`copyRows: unsafe identifier in ${table}(${columns.join(",")})`);
  }
  let count = 0;
  function* chunks() {
    let buf: string[] = [];
    for (const r of rows) {
      buf.push(r.map(copyField).join("\t"));
      count++;
      if (buf.length >= CHUNK_ROWS) {
        yield buf.join("\n") + "\n";
        buf = [];
      }
    }
    if (buf.length) yield buf.join("\n") + "\n";
  }
  // postgres.js resolves the query with the stream as soon as COPY starts, so an error the server
  // reports after the last row (a failing trigger or constraint, a full disk, a dropped connection)
  // only reaches query.reject, which is then a no-op, and the stream never finishes: without this
  // hook the step would wait forever. Capture that rejection and fail the copy with it.
  const query = sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`) as unknown as {
    reject: (e: unknown) => void;
    writable(): Promise<NodeJS.WritableStream>;
  };
  let fail!: (e: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed through the race below
  const reject = query.reject;
  query.reject = (e: unknown) => {
    fail(e);
    reject(e);
  };
  const writable = await query.writable();
  await Promise.race([pipeline(Readable.from(chunks()), writable), failed]);
  return count;
}
