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
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

const CHUNK_ROWS = 5000;

export async function copyRows(sql: Sql, table: string, columns: string[], rows: Iterable<CopyValue[]>): Promise<number> {
  if (!/^[a-z_][a-z0-9_.]*$/.test(table) || columns.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c))) {
    throw new Error(`copyRows: unsafe identifier in ${table}(${columns.join(",")})`);
  }
  let count = 0;
  function* chunks() {
    let buf: string[] = [];
    const fields: string[] = []; // one array for every row's fields (r.map would make one per row)
    for (const r of rows) {
      fields.length = r.length;
      for (let i = 0; i < r.length; i++) fields[i] = copyField(r[i]);
      buf.push(fields.join("\t"));
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

// ---------------------------------------------------------------------------------------------
// COPY … TO STDOUT, text format: the inverse of copyField.

const UNESCAPE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

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

/**
 * Splits a COPY text-format byte stream into rows of decoded fields. Every raw newline ends a row
 * (newlines inside values arrive escaped), so rows are exact whatever the chunking, and a chunk
 * is decoded as UTF-8 only up to its last newline. `onRow` gets the fields of each row in order.
 */
export class CopyTextRows {
  /** Bytes of a row not yet ended by its newline (newline bytes never occur inside a UTF-8 character). */
  private rest: Buffer | null = null;
  constructor(private readonly onRow: (fields: (string | null)[]) => void) {}

  push(chunk: Uint8Array): void {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.rest) {
      buf = Buffer.concat([this.rest, buf]);
      this.rest = null;
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.rest = Buffer.from(buf);
      return;
    }
    if (last < buf.length - 1) this.rest = Buffer.from(buf.subarray(last + 1));
    const text = buf.toString("utf8", 0, last);
    for (const line of text.split("\n")) {
      const fields: (string | null)[] = line.split("\t");
      for (let i = 0; i < fields.length; i++) fields[i] = decodeCopyField(fields[i] as string);
      this.onRow(fields);
    }
  }

  /** The stream ended: a row without its newline is a truncated stream. */
  end(): void {
    const tail = this.rest;
    this.rest = null;
    if (tail && tail.length) throw new Error(`COPY stream ended inside a row (${tail.length} bytes without a newline)`);
  }
}

/**
 * Start `COPY (…) TO STDOUT` and return its byte stream. postgres.js resolves the query with the
 * stream as soon as the COPY starts, so an error the server reports afterwards (a killed backend,
 * a statement timeout) only reaches query.reject, which is then a no-op, and the stream would never
 * end: the rejection is routed to the stream instead, which then fails with it.
 *
 * postgres.js pauses the socket when the stream's buffer is full and resumes it only when the
 * stream is read; when CopyDone arrives in the same chunk as the data that filled the buffer, the
 * stream ends with the socket still paused and the connection's next query waits forever
 * (porsager/postgres#499, #917; fix proposed in #1016, not released). Once the stream has ended,
 * its read hook — which is what resumes the socket — is called once more.
 */
export async function copyOut(sql: Sql, text: string): Promise<NodeJS.ReadableStream & { destroy(e?: Error): void }> {
  const query = sql.unsafe(text) as unknown as {
    reject: (e: unknown) => void;
    readable(): Promise<NodeJS.ReadableStream & { destroy(e?: Error): void }>;
  };
  let stream: (NodeJS.ReadableStream & { destroy(e?: Error): void }) | null = null;
  let early: unknown = null;
  const reject = query.reject;
  query.reject = (e: unknown) => {
    if (stream) stream.destroy(e instanceof Error ? e : new Error(String(e)));
    else early = e;
    reject(e);
  };
  stream = await query.readable();
  if (early) stream.destroy(early instanceof Error ? early : new Error(String(early)));
  const resumeSocket = stream as unknown as { _read?: (n: number) => void; once(e: "end", f: () => void): void };
  resumeSocket.once("end", () => resumeSocket._read?.(0));
  return stream;
}
