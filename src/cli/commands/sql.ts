// `pvpipe sql "select …"`: a session in Asia/Seoul (timestamps `+09`, `datetime >= '2026-12-01'`
// meaning KST midnight), values as PostgreSQL writes them, numbers as numbers, printed as psql
// does (aligned), or as CSV / JSON for machines. Ctrl-C cancels the query.
import Papa from "papaparse";
import postgres from "postgres";
import { shutdownSignal } from "../../../f/lib/runtime/shutdown.ts";
import { clockSessionSettings, type PgResource } from "../../../f/lib/db/resource.ts";
import { renderAligned } from "../table.ts";

// Type oids kept as the server's text: bigint and numeric (no precision lost), dates and times
// (in the session's zone, as psql shows them).
const TEXT_TYPES = [20, 1700, 1082, 1083, 1114, 1184, 1186, 1266];
const NUMERIC_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);

export type SqlFormat = "aligned" | "csv" | "json";

export async function runSql(db: PgResource, query: string, format: SqlFormat): Promise<string> {
  const ssl = db.sslmode && !["disable", "allow", "prefer"].includes(db.sslmode) ? "require" : false;
  const sql = postgres({
    host: db.host, port: Number(db.port), user: db.user, password: db.password, database: db.dbname, ssl, max: 1,
    onnotice: () => {},
    connection: { application_name: "pvpipe sql", TimeZone: "Asia/Seoul", ...clockSessionSettings() },
    types: { text: { to: 25, from: TEXT_TYPES, serialize: (x: unknown) => String(x), parse: (x: string) => x } },
  });
  try {
    const q = sql.unsafe(query);
    const onAbort = () => void q.cancel();
    shutdownSignal.addEventListener("abort", onAbort, { once: true });
    const res = (await q.finally(() => shutdownSignal.removeEventListener("abort", onAbort))) as unknown as Result | Result[];
    // Several statements give one result each: psql prints them all; CSV and JSON take the last.
    const results: Result[] = isMany(res) ? res : [res];
    if (format === "aligned") return results.map(aligned).join("\n\n");
    const last = results[results.length - 1];
    const cols = columnsOf(last);
    if (format === "json") return JSON.stringify(last.map((r) => Object.fromEntries(cols.map((c) => [c.name, jsonValue(r[c.name], c.type)]))));
    return Papa.unparse({ fields: cols.map((c) => c.name), data: last.map((r) => cols.map((c) => textValue(r[c.name], format))) }, { newline: "\n" });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

type Result = Record<string, unknown>[] & { columns?: { name: string; type: number }[]; count?: number | null; command?: string };

const isMany = (r: Result | Result[]): r is Result[] => r.length > 0 && Array.isArray(r[0]) && "command" in (r[0] as object);
const columnsOf = (r: Result) => r.columns ?? Object.keys(r[0] ?? {}).map((name) => ({ name, type: 25 }));

/** psql: rows as a table; a statement without rows as its command tag (INSERT 0 1, CREATE TABLE). */
function aligned(r: Result): string {
  const cols = columnsOf(r);
  if (cols.length === 0) return [r.command ?? "OK", ...(r.command === "INSERT" ? ["0"] : []), ...(r.count !== undefined && r.count !== null && !/^(CREATE|DROP|ALTER|SET|BEGIN|COMMIT)/.test(r.command ?? "") ? [String(r.count)] : [])].join(" ");
  return renderAligned(cols.map((c) => ({ name: c.name, numeric: NUMERIC_TYPES.has(c.type) })), r.map((row) => cols.map((c) => textValue(row[c.name], "aligned"))));
}

function textValue(v: unknown, format: SqlFormat): string {
  if (v === null || v === undefined) return "";
  // psql shows t/f; CSV keeps the words machines (and earlier versions' readers) expect.
  if (typeof v === "boolean") return format === "aligned" ? (v ? "t" : "f") : String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") return JSON.stringify(v);
  const s = String(v);
  // One line per row in aligned output; CSV quotes newlines itself.
  return format === "aligned" ? s.replace(/\r?\n/g, "\\n") : s;
}

/** Numbers as JSON numbers when they survive the trip (a bigint past 2^53 stays a string). */
function jsonValue(v: unknown, type: number): unknown {
  if (typeof v === "string" && (type === 20 || type === 1700)) {
    const n = Number(v);
    return Number.isFinite(n) && (type === 1700 || Number.isSafeInteger(n)) ? n : v;
  }
  return v ?? null;
}
