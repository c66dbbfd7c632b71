// A `callStep` for the local engine that runs each step in a Bun process the way a Windmill worker
// does (tests/windmill/bun_runner.ts), so a whole flow can run with every step under Bun.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { EngineOptions } from "../../src/flow/engine.ts";
import { mainArgNames } from "../../src/flow/script_signature.ts";

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
