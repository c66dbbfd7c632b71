// A Windmill CE Bun worker's path for deployed steps, reproduced (bun_executor.rs: handle_bun_job
// for a script with a lock): install the script's lock (package.json + bun.lock, split at
// `//bun.lock`) with the image's Bun, bundle main.ts with its relative imports fetched from the
// server by path (worker_bundle.ts), and run a generated wrapper that reads args.json, spreads the
// named arguments into main in signature order, and writes result.json the way the worker's
// wrapper does. Every step of pvpipe deploys the same lock, so one install serves all of them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bunInstall } from "../../src/codegen/bun_install.ts";
import { BUN_LOCK_SPLIT } from "../../src/codegen/script_locks.ts";
import { parseMainSignature } from "../../src/flow/script_signature.ts";
import { startRawScriptServer, type RawScriptServer } from "./raw_script_server.ts";
import { runChild } from "./wmill_tools.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const BUN = join(ROOT, "node_modules", ".bin", "bun");
export const WORKSPACE = "pv";
/** The Bun of the Windmill image docker-compose.yml runs (its Dockerfile: COPY --from=oven/bun:1.3.8). */
export const WINDMILL_IMAGE_BUN = "1.3.8";

export interface BunWorker {
  /** The shared install: package.json, bun.lock and node_modules from the scripts' lock. */
  installDir: string;
  /** The job directory holding main.js and wrapper.mjs of a script (f/pv/plan). */
  jobDir(scriptPath: string): string;
  /** The Windmill paths a script's bundle was built from (the script and its import closure). */
  bundleInputs(scriptPath: string): string[];
  server: RawScriptServer;
  close(): Promise<void>;
}

/** The wrapper the worker generates for a script: its main's parameters spread in signature order. */
export function wrapperSource(code: string): string {
  const args = parseMainSignature(code).args;
  const names = args.map((a) => a.name).join(", ");
  // Date parameters arrive as strings and become Dates, as in the worker.
  const dates = args
    .filter((a) => a.typ === "datetime")
    .map((a) => `args[${JSON.stringify(a.name)}] = args[${JSON.stringify(a.name)}] ? new Date(args[${JSON.stringify(a.name)}]) : undefined;`)
    .join("\n");
  return `import * as Main from "./main.js";
import * as fs from "node:fs/promises";

const args = JSON.parse(await fs.readFile("args.json", { encoding: "utf8" }));
${dates}
const toArray = ({ ${names} }) => [${names}];
BigInt.prototype.toJSON = function () { return this.toString(); };
try {
  if (typeof Main.main !== "function") throw new Error("main function is missing");
  const res = await Main.main(...toArray(args));
  await fs.writeFile("result.json", JSON.stringify(res ?? null, (_k, v) => (typeof v === "undefined" ? null : v)));
  process.exit(0);
} catch (e) {
  console.error(e);
  const err = { message: e?.message, name: e?.name, stack: e?.stack };
  if (process.env.WM_FLOW_STEP_ID) err.step_id = process.env.WM_FLOW_STEP_ID;
  const extra = {};
  for (const k of Object.getOwnPropertyNames(e ?? {})) {
    if (!["line", "name", "stack", "column", "message", "sourceURL", "originalLine", "originalColumn"].includes(k)) extra[k] = e[k];
  }
  if (Object.keys(extra).length > 0) err.extra = extra;
  await fs.writeFile("result.json", JSON.stringify(err));
  process.exit(1);
}
`;
}

/** `bun <args>` without blocking this process (the script server runs in it). */
export function runBun(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runChild(BUN, args, { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, DO_NOT_TRACK: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", NO_COLOR: "1", ...env } });
}

/** The lock every one of `scriptPaths` deploys; they must all deploy the same one. */
export function sharedLock(scriptPaths: string[]): { packageJson: string; bunLock: string } {
  const locks = new Set(scriptPaths.map((p) => readFileSync(join(ROOT, `${p}.script.lock`), "utf8")));
  if (locks.size !== 1) throw new Error(`the scripts deploy ${locks.size} different locks; the harness installs one`);
  const [lock] = locks;
  const at = lock.indexOf(BUN_LOCK_SPLIT);
  if (at < 0) throw new Error("the lock has no //bun.lock part");
  return { packageJson: lock.slice(0, at), bunLock: lock.slice(at + BUN_LOCK_SPLIT.length) };
}

/** Install the locked dependencies once and bundle every script as the worker would. */
export async function startBunWorker(scriptPaths: string[]): Promise<BunWorker> {
  const dir = mkdtempSync(join(tmpdir(), "pvpipe-worker-"));
  const server = await startRawScriptServer(ROOT, WORKSPACE);
  try {
    const { packageJson, bunLock } = sharedLock(scriptPaths);
    writeFileSync(join(dir, "package.json"), packageJson);
    writeFileSync(join(dir, "bun.lock"), bunLock);
    // --frozen-lockfile: Bun must accept the committed lock as the one it would write.
    bunInstall(ROOT, dir, { frozen: true });
    const jobs = scriptPaths.map((scriptPath) => {
      const jobDir = join(dir, "jobs", scriptPath.replaceAll("/", "__"));
      mkdirSync(jobDir, { recursive: true });
      const code = readFileSync(join(ROOT, `${scriptPath}.ts`), "utf8");
      writeFileSync(join(jobDir, "main.ts"), code);
      writeFileSync(join(jobDir, "wrapper.mjs"), wrapperSource(code));
      symlinkSync(join(dir, "node_modules"), join(jobDir, "node_modules"), "dir");
      return { scriptPath, dir: jobDir };
    });
    const spec = join(dir, "bundle.json");
    writeFileSync(spec, JSON.stringify({ baseUrl: server.url, workspace: WORKSPACE, jobs }));
    const r = await runBun([join(import.meta.dirname, "worker_bundle.ts"), spec], dir);
    if (r.code !== 0) throw new Error(`bundling failed: ${r.stderr.slice(-3000)}${r.stdout.slice(-2000)}`);
    const jobDir = (p: string) => {
      const j = jobs.find((x) => x.scriptPath === p);
      if (!j) throw new Error(`${p} was not bundled`);
      return j.dir;
    };
    return {
      installDir: dir,
      jobDir,
      bundleInputs: (p) => JSON.parse(readFileSync(join(jobDir(p), "inputs.json"), "utf8")) as string[],
      server,
      close: async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
