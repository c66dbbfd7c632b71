// `callStep`s for the local engine that run each step in a Bun process: directly (bun_runner.ts:
// import the file, spread the arguments), or on the Windmill worker's path (workerCallStep:
// locked install, bundle with fetched relative imports, the worker's wrapper).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { EngineOptions } from "../../src/flow/engine.ts";
import { mainArgNames } from "../../src/flow/script_signature.ts";
import { clockOffsetMs, now } from "../../f/lib/time/clock.ts";
import { runBun, WORKSPACE, type BunWorker } from "./bun_worker.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const BUN = join(ROOT, "node_modules", ".bin", "bun");
const RUNNER = join(import.meta.dirname, "bun_runner.ts");

export interface BunCall {
  script: string; // f/pv/plan.ts
  ok: boolean;
  ms: number;
}

/** Error rebuilt from the worker-style error result, with its own properties (retryable, code…). */
export class BunStepError extends Error {
  constructor(e: { name?: string; message?: string; extra?: Record<string, unknown> }) {
    super(e.message ?? "step failed");
    this.name = e.name ?? "Error";
    Object.assign(this, e.extra ?? {});
  }
}

export function bunCallStep(calls: BunCall[] = []): NonNullable<EngineOptions["callStep"]> & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "pvpipe-bun-"));
  let n = 0;
  const call = async (file: string, args: unknown[]): Promise<unknown> => {
    const names = mainArgNames(file);
    const named = Object.fromEntries(names.map((k, i) => [k, args[i]]).filter(([, v]) => v !== undefined));
    const input = join(dir, `in-${++n}.json`);
    const output = join(dir, `out-${n}.json`);
    writeFileSync(input, JSON.stringify({ names, args: named }));
    const started = Date.now();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(BUN, [RUNNER, file, input, output], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stderr: err }));
    });
    const script = relative(ROOT, file);
    let out: unknown;
    try {
      out = JSON.parse(readFileSync(output, "utf8"));
    } catch {
      throw new Error(`bun exited ${code} without a result for ${script}: ${stderr.slice(-2000)}`);
    }
    calls.push({ script, ok: code === 0, ms: Date.now() - started });
    if (code !== 0) throw new BunStepError((out as { error: Record<string, never> }).error);
    return out;
  };
  return Object.assign(call, { cleanup: () => rmSync(dir, { recursive: true, force: true }) });
}

/**
 * A `callStep` that runs each step on the Windmill worker's path (bun_worker.ts): the bundle built
 * from the deployed lock and the fetched relative imports, called through the generated wrapper
 * with the flow's evaluated arguments as named JSON, in a fresh directory per call.
 */
export function workerCallStep(worker: BunWorker, calls: BunCall[] = []): NonNullable<EngineOptions["callStep"]> & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "pvpipe-worker-calls-"));
  let n = 0;
  const call = async (file: string, args: unknown[]): Promise<unknown> => {
    const script = relative(ROOT, file);
    const names = mainArgNames(file);
    const cwd = join(dir, `call-${++n}`);
    mkdirSync(cwd);
    // Absent parameters (no input transform) are not in the job's args; null ones are.
    writeFileSync(join(cwd, "args.json"), JSON.stringify(Object.fromEntries(names.map((k, i) => [k, args[i]]).filter(([, v]) => v !== undefined))));
    const started = Date.now();
    // The step sees the pipeline clock of the run that calls it (the suite pins it), as the engine's in-process steps do.
    const clock: Record<string, string> = clockOffsetMs() === null ? {} : { PVPIPE_NOW: now().toISOString() };
    const { code, stderr } = await runBun(["run", join(worker.jobDir(script.replace(/\.ts$/, "")), "wrapper.mjs")], cwd, { TZ: "Etc/UTC", WM_WORKSPACE: WORKSPACE, ...clock });
    let out: unknown;
    try {
      out = JSON.parse(readFileSync(join(cwd, "result.json"), "utf8"));
    } catch {
      throw new Error(`the worker wrapper exited ${code} without a result for ${script}: ${stderr.slice(-2000)}`);
    }
    calls.push({ script, ok: code === 0, ms: Date.now() - started });
    // The server stores a failed job's result as {error: <the wrapper's error object>}.
    if (code !== 0) throw new BunStepError(out as Record<string, never>);
    return out;
  };
  return Object.assign(call, { cleanup: () => rmSync(dir, { recursive: true, force: true }) });
}
