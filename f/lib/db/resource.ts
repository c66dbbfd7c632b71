// The PostgreSQL resource every step receives (Windmill's `postgresql` resource type shape).
import postgres from "postgres";
import { clockOffsetMs } from "../time/clock.ts";

export type PgResource = {
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
  sslmode?: string;
};

/** A connection pool: what `withDb` lends, and what can begin a transaction. */
export type Pool = postgres.Sql;
/** What a query needs: a pool or a transaction. SQL modules take this, so they run inside a caller's transaction. */
export type Sql = postgres.ISql;

/** Session settings that carry a pinned clock's offset; none when the clock is real. */
export function clockSessionSettings(): Record<string, string> {
  const ms = clockOffsetMs();
  return ms === null ? {} : { "pvpipe.clock_offset": `${ms} milliseconds` };
}

/** Open a small pool for one step; the caller ends it. Notices are not printed. */
export function connect(db: PgResource, opts: { max?: number } = {}): Pool {
  const ssl = db.sslmode && !["disable", "allow", "prefer"].includes(db.sslmode) ? "require" : false;
  return postgres({
    host: db.host,
    port: Number(db.port),
    user: db.user,
    password: db.password,
    database: db.dbname,
    ssl,
    max: opts.max ?? 4,
    onnotice: () => {},
    // A pinned pipeline clock reaches the database too (ops.clock_now(), migration 0010).
    connection: { application_name: "pvpipe", ...clockSessionSettings() },
  });
}

/**
 * Pools shared across steps, keyed by resource. On a Windmill worker every step is its own process
 * and opens (and closes) its own pool; the local engine runs many steps in one process and shares
 * one pool per database for the length of a run (`sharePools`), so a step does not pay a
 * connection setup (SCRAM auth, backend start) each time.
 */
const shared = { users: 0, pools: new Map<string, Pool>() };
const SHARED_POOL_MAX = 32; // a backfill's 12 chunks at a time, each step holding one or two at once (a year's mix opens ≈ 17)

const poolKey = (db: PgResource) => JSON.stringify([db.host, Number(db.port), db.user, db.password, db.dbname, db.sslmode ?? ""]);

/** Share pools until the returned release is called (reference-counted: runs may nest or overlap). */
export function sharePools(): () => Promise<void> {
  shared.users++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--shared.users > 0) return;
    const pools = [...shared.pools.values()];
    shared.pools.clear();
    await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
  };
}

/** Run `fn` with a connection: the shared pool while one is active, else a pool of its own that is always closed. */
export async function withDb<T>(db: PgResource, fn: (sql: Pool) => Promise<T>, opts: { max?: number } = {}): Promise<T> {
  if (shared.users > 0) {
    const key = poolKey(db);
    let sql = shared.pools.get(key);
    if (!sql) {
      sql = connect(db, { max: Math.max(SHARED_POOL_MAX, opts.max ?? 0) });
      shared.pools.set(key, sql);
    }
    return fn(sql);
  }
  const sql = connect(db, opts);
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
