// The benchmark's PostgreSQL: the project's embedded server (src/db/embedded.ts) in a throw-away,
// world-traversable temp dir, restarted once with pg_stat_statements preloaded so a missed target
// can say which statements the time went to. Each section gets its own migrated database.
import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, release, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { PgResource, Pool } from "../../f/lib/db/resource.ts";
import { ensureReady } from "../../f/lib/db/setup.ts";
import { freePort, startEmbedded, type EmbeddedDb } from "../../src/db/embedded.ts";

export interface BenchDb {
  name: string;
  resource: PgResource;
  /** A pool on the database; `max` connections. */
  pool(max: number, app?: string): Pool;
  drop(): Promise<void>;
}

export interface BenchServer {
  admin: PgResource;
  createDb(prefix: string, opts?: { migrate?: boolean }): Promise<BenchDb>;
  machine(): Promise<Machine>;
  /** CPU seconds used by the server so far: the postmaster and every backend that has exited. */
  pgCpuSeconds(): number;
  stop(): Promise<void>;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
  postgresql: string;
  postgresql_settings: Record<string, string>;
  /** 1/5/15-minute load averages when the run started (the machine may be shared). */
  load_avg_at_start: number[];
}

/** Wait until no backend of `app` is connected to the database (exited backends have flushed their stats and CPU). */
export async function waitForBackendsGone(r: PgResource, app: string): Promise<void> {
  const s = openPool(r, 1, "bench-wait");
  try {
    await backendsGone(s, app, 200);
  } finally {
    await s.end({ timeout: 5 });
  }
}

/** Poll (every 50 ms, at most `tries` times) until no backend named `app` is connected to this database. */
export async function backendsGone(s: Pool, app: string, tries: number): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const [{ n }] = await s<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = ${app}`;
    if (n === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** A pool of `max` connections named `app`; `debug` sees every statement sent. */
export function openPool(r: PgResource, max: number, app = "pvpipe-bench", debug?: (conn: number, query: string, params: unknown[]) => void): Pool {
  return postgres({
    host: r.host, port: Number(r.port), user: r.user, password: r.password, database: r.dbname,
    ssl: false, max, onnotice: () => {}, connection: { application_name: app }, ...(debug ? { debug } : {}),
  });
}

export async function startBenchServer(log: (s: string) => void): Promise<BenchServer> {
  const base = join(tmpdir(), `pvpipe-bench-${process.pid}`);
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755); // as root the server runs as the postgres user, which must reach it
  const dataDir = join(base, "pg");
  const port = await freePort(); // its own, never a developer's server on the default port
  let db: EmbeddedDb = await startEmbedded({ dataDir, port, log });
  {
    const a = openPool(db.admin, 1);
    await a`alter system set shared_preload_libraries = 'pg_stat_statements'`;
    await a`alter system set pg_stat_statements.max = 2000`;
    await a.end({ timeout: 5 });
  }
  await db.stop();
  db = await startEmbedded({ dataDir, port, log });
  const admin = db.admin;
  {
    const a = openPool(admin, 1);
    await a`create extension if not exists pg_stat_statements`;
    await a.end({ timeout: 5 });
  }
  let n = 0;
  const server: BenchServer = {
    admin,
    async createDb(prefix, opts = {}) {
      const name = `bench_${prefix}_${process.pid}_${++n}`;
      const a = openPool(admin, 1);
      await a.unsafe(`create database ${name}`);
      await a.end({ timeout: 5 });
      const resource: PgResource = { ...admin, dbname: name };
      if (opts.migrate !== false) {
        const s = openPool(resource, 1);
        try {
          await ensureReady(s);
        } finally {
          await s.end({ timeout: 5 });
        }
      }
      return {
        name,
        resource,
        pool: (max, app) => openPool(resource, max, app),
        async drop() {
          const b = openPool(admin, 1);
          await b.unsafe(`drop database if exists ${name} with (force)`);
          await b.end({ timeout: 5 });
        },
      };
    },
    async machine() {
      const a = openPool(admin, 1);
      try {
        const [{ v }] = await a<{ v: string }[]>`select version() as v`;
        const settings = await a<{ name: string; setting: string; unit: string | null }[]>`
          select name, setting, unit from pg_settings
          where name in ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'fsync', 'wal_level', 'max_parallel_workers_per_gather')
          order by name`;
        const c = cpus();
        return {
          cpu: c[0]?.model ?? "unknown",
          cores: c.length,
          memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
          os: `${process.platform} ${release()}`,
          node: process.version,
          postgresql: v.split(" on ")[0],
          postgresql_settings: Object.fromEntries(settings.map((s) => [s.name, s.unit ? `${s.setting} (${s.unit})` : s.setting])),
          load_avg_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
        };
      } finally {
        await a.end({ timeout: 5 });
      }
    },
    pgCpuSeconds() {
      try {
        const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
        const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        // fields 14-17 of /proc/pid/stat: utime, stime, cutime, cstime (clock ticks, 100 per second)
        return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      await db.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
  return server;
}

export interface StatementProfile {
  /** Server execution time of every statement of the database since the last reset. */
  totalMs: number;
  calls: number;
  top: { ms: number; calls: number; share: number; query: string }[];
}

/** Statements by total server time since the last reset, for one database (pg_stat_statements). */
export async function topStatements(admin: PgResource, dbname: string, limit = 6): Promise<StatementProfile> {
  const a = openPool(admin, 1);
  try {
    const rows = await a<{ ms: number; calls: number; total: number; total_calls: number; query: string }[]>`
      select s.total_exec_time::float8 as ms, s.calls::int as calls, sum(s.total_exec_time) over ()::float8 as total,
             sum(s.calls) over ()::float8 as total_calls, s.query
      from pg_stat_statements s join pg_database d on d.oid = s.dbid
      where d.datname = ${dbname}
      order by s.total_exec_time desc limit ${limit}`;
    const totalMs = rows[0]?.total ?? 0;
    return {
      totalMs,
      calls: rows[0]?.total_calls ?? 0,
      top: rows.map((r) => ({ ms: Math.round(r.ms), calls: r.calls, share: r.ms / (totalMs || 1), query: oneLine(r.query) })),
    };
  } finally {
    await a.end({ timeout: 5 });
  }
}

export async function resetStatements(admin: PgResource): Promise<void> {
  const a = openPool(admin, 1);
  try {
    await a`select pg_stat_statements_reset()`;
  } finally {
    await a.end({ timeout: 5 });
  }
}

export function oneLine(q: string, max = 110): string {
  const s = q.replace(/--[^\n]*/g, " ").replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
