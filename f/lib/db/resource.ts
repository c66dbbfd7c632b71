// The PostgreSQL resource every step receives (Windmill's `postgresql` resource type shape).
import postgres from "postgres";

export type PgResource = {
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
  sslmode?: string;
};

export type Sql = postgres.Sql<Record<string, never>>;

/** Open a small pool for one step; the caller ends it. Notices are not printed. */
export function connect(db: PgResource, opts: { max?: number } = {}): Sql {
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
    connection: { application_name: "pvpipe" },
  }) as unknown as Sql;
}

/** Run `fn` with a connection and always close it, as a step must not leak connections. */
export async function withDb<T>(db: PgResource, fn: (sql: Sql) => Promise<T>, opts: { max?: number } = {}): Promise<T> {
  const sql = connect(db, opts);
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
