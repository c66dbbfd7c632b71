// Helpers of the Windmill conformance tests: run `wmill` offline, copy the workspace tree.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const WMILL = join(ROOT, "node_modules", ".bin", "wmill");
const NO_NETWORK = join(import.meta.dirname, "no_network.cjs");
export const NETWORK_MARK = "PVPIPE_NETWORK_ATTEMPT";

export interface WmillRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a `wmill` run: a scratch HOME (no saved workspace, no config), no network. */
const wmillEnv = (home: string, extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, ".config"),
  NO_COLOR: "1",
  NODE_OPTIONS: `--require ${NO_NETWORK}`,
  ...extra,
});

/** `wmill <args>` in `cwd` with a scratch HOME (no saved workspace, no config) and no network. */
export function wmill(args: string[], cwd: string): WmillRun {
  const home = mkdtempSync(join(tmpdir(), "wmill-home-"));
  try {
    const r = spawnSync(WMILL, args, { cwd, encoding: "utf8", timeout: 200_000, env: wmillEnv(home) });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `wmill <args>` like `wmill()`, but without blocking this process: needed when the server it talks
 * to (a stub of the Windmill API) runs in this process. Only 127.0.0.1 is reachable.
 */
export async function wmillAsync(args: string[], cwd: string): Promise<WmillRun> {
  const home = mkdtempSync(join(tmpdir(), "wmill-home-"));
  try {
    const r = await runChild(WMILL, args, { cwd, env: wmillEnv(home, { PVPIPE_ALLOW_LOOPBACK: "1" }) });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** What `wmill sync push` reads: wmill.yaml, f/, dependencies/ and the root resource types, copied to a temp dir. */
export function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "pvpipe-ws-"));
  cpSync(join(ROOT, "wmill.yaml"), join(dir, "wmill.yaml"));
  cpSync(join(ROOT, "f"), join(dir, "f"), { recursive: true });
  cpSync(join(ROOT, "dependencies"), join(dir, "dependencies"), { recursive: true });
  for (const name of readdirSync(ROOT)) if (name.endsWith(".resource-type.yaml")) cpSync(join(ROOT, name), join(dir, name));
  mkdirSync(join(dir, "f"), { recursive: true });
  return dir;
}

/** Every file under a directory, relative to it. */
export function walk(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const p = rel ? `${rel}/${name}` : name;
    return statSync(join(dir, p)).isDirectory() ? walk(dir, p) : [p];
  });
}

export const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

/** A child process run to its end without blocking this one, its output collected. */
export function runChild(cmd: string, args: string[], o: { cwd: string; env: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, stdio: ["ignore", "pipe", "pipe"], env: o.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
