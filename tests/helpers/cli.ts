// Run the real CLI (bin/pvpipe.mjs) as a child process, as a person would.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { clockSetting } from "../../f/lib/time/clock.ts";
import { ROOT } from "./engine.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(ROOT, "bin", "pvpipe.mjs");

/**
 * Environment for the child: nothing inherited that would point it at real services; the suite's
 * pinned clock is passed on (PVPIPE_NOW, anchored) so the child sees the same "today" on the same
 * timeline; a `pvpipe start` serves its UI on a free port, never on a developer's 3300.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, PVPIPE_NOW: clockSetting(), PVPIPE_UI_PORT: "0" };
  return { ...env, ...extra };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`pvpipe ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start a long-running CLI and resolve once a line matching `ready` appears on stdout. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 120_000): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
    let out = "";
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out, exited });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d));
    exited.then((code) => reject(new Error(`exited ${code} before ready:\n${out}`)));
  });
}

export const pgUrl = (r: { user: string; password: string; host: string; port: number; dbname: string }) =>
  `postgres://${encodeURIComponent(r.user)}:${encodeURIComponent(r.password)}@${r.host}:${r.port}/${r.dbname}?sslmode=disable`;
