// COPY rows into a table through postgres.js, in text format, streamed in large chunks.
import { Readable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
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
// COPY … TO STDOUT: the stream, and its chunks handed to a decoder (copy_text_rows.ts, copy_binary_rows.ts).

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

/**
 * Hand every chunk of a COPY stream to `push` as it arrives, until the stream ends (an error from
 * `push` destroys the stream and is thrown). A 'data' listener rather than a pipeline into a
 * Writable: PostgreSQL sends one message per row, and a Writable's bookkeeping per chunk was
 * garbage per row.
 */
export async function drainCopy(stream: NodeJS.ReadableStream & { destroy(e?: Error): void }, push: (chunk: Buffer) => void): Promise<void> {
  stream.on("data", (chunk: Buffer) => {
    try {
      push(chunk);
    } catch (e) {
      stream.destroy(e as Error);
    }
  });
  await finished(stream);
}
