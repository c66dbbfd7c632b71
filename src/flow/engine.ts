// The local engine: runs a flow definition in-process, the way Windmill runs its OpenFlow —
// steps called by script path with named arguments, for-each with bounded parallelism,
// JSON results between modules, per-step retries, a failure module, and a run record.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { sharePools, withDb } from "../../f/lib/db/resource.ts";
import { shutdownSignal } from "../../f/lib/runtime/shutdown.ts";
import { runReport } from "../../f/lib/store/run_report.ts";
import { finishRun, startRun } from "../../f/lib/store/runs.ts";
import { UsageError } from "../config/errors.ts";
import { thisEngine } from "../runs/engine_address.ts";
import { closeLostRuns } from "../runs/reap.ts";
import { createRecorder, type RunRecorder } from "../runs/recorder.ts";
import { closeCancelled } from "../runs/sql/close_cancelled.ts";
import { insertEvents } from "../runs/sql/insert_events.ts";
import { registerEngine } from "../runs/sql/register_engine.ts";
import { summarizeResult } from "../runs/step_summary.ts";
import type { FlowDef, Module, Ref, ResourceName, StepModule } from "./dsl.ts";
import { inputDefaults } from "./input_defaults.ts";
import { plainParamNames } from "./main_params.ts";
import { mainArgNames } from "./script_signature.ts";

export interface StepEvent {
  type: "start" | "end" | "retry" | "error";
  step: string;
  iteration?: number;
  result?: unknown;
  error?: Error;
}

export interface EngineOptions {
  root: string;
  resources: Partial<Record<ResourceName, unknown>> & { db: PgResource };
  onEvent?: (e: StepEvent) => void;
  /** Scale for retry delays (tests use 0). */
  retryDelayScale?: number;
  /**
   * Calls a step's `main` with its arguments in signature order. Default: import the file into this
   * process. Tests pass one that runs the step in another runtime (Bun, as a Windmill worker does).
   */
  callStep?: (file: string, args: unknown[]) => Promise<unknown>;
  /** How often the run's heartbeat is written and stop requests are read (default 3 s). */
  heartbeatMs?: number;
  /** Called once the run is recorded, before its first step (a launcher shows the run at once). */
  onRunStarted?: (runId: string) => void;
  /**
   * Fill omitted flow inputs from the flow's zod defaults (default true), as the Windmill form and
   * the schedules do. false = as an API caller that omits them: they stay absent in flow_input.
   */
  inputDefaults?: boolean;
}

export interface FlowRunResult {
  runId: string;
  status: "success" | "failed" | "cancelled";
  /** Why a cancelled run stopped: this process was told to stop (Ctrl-C, SIGTERM), or the run was cancelled from elsewhere. */
  stopReason?: StopReason;
  result: unknown;
  results: Record<string, unknown>;
  error?: Error;
}

export type StopReason = "signal" | "cancel_requested" | "not_running";

/** The run stopped at a step boundary because it was asked to: a normal end, recorded `cancelled`. */
export class FlowStopped extends Error {
  constructor(readonly reason: StopReason = "signal") {
    super(
      reason === "cancel_requested" ? "the run was cancelled (pvpipe cancel); run the same command again to resume"
        : reason === "not_running" ? "the run was closed by another process (engine lost); run the same command again to resume"
        : "the run was stopped before it finished; run the same command again to resume",
    );
    this.name = "FlowStopped";
  }
}

interface Scope {
  input: Record<string, unknown>;
  results: Record<string, unknown>;
  iter?: { value: unknown; index: number };
  error?: { name: string; message: string; step_id?: string };
  runId: string;
  rec: RunRecorder;
  /** The flow's input defaults, for loop settings read from an omitted input. */
  inputDefaults?: Record<string, unknown>;
}

export async function runFlow(def: FlowDef, rawInput: Record<string, unknown>, opts: EngineOptions): Promise<FlowRunResult> {
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`invalid input for flow ${def.id}: ${issue.path.join(".") || "input"}: ${issue.message}`);
  }
  const data = parsed.data as Record<string, unknown>;
  const flowInput = opts.inputDefaults === false ? Object.fromEntries(Object.keys(rawInput).map((k) => [k, data[k]])) : data;
  const runId = randomUUID();
  const releasePools = sharePools();
  try {
    return await runFlowShared(def, flowInput, runId, opts);
  } finally {
    await releasePools();
  }
}

async function runFlowShared(def: FlowDef, flowInput: Record<string, unknown>, runId: string, opts: EngineOptions): Promise<FlowRunResult> {
  await withDb(opts.resources.db, async (sql) => {
    // Every engine start closes the runs whose engine is gone, so none stays 'running'.
    await closeLostRuns(sql);
    await startRun(sql, { runId, flow: def.id, engine: "local", inputs: flowInput });
    await registerEngine(sql, runId, thisEngine());
  });
  const rec = createRecorder(opts.resources.db, runId, { heartbeatMs: opts.heartbeatMs ?? 3000 });
  activeRuns.set(runId, opts.resources.db);
  rec.emit({ level: "info", kind: "run_started", message: `${def.id} started (pid ${process.pid})`, data: { flow: def.id, inputs: flowInput } });
  opts.onRunStarted?.(runId);
  const scope: Scope = { input: flowInput, results: {}, runId, rec, inputDefaults: inputDefaults(def) };
  try {
    const last = await runModules(def.modules, scope, opts);
    rec.emit({ level: "info", kind: "run_finished", message: `${def.id} finished`, data: { status: "success" } });
    await rec.close();
    // The report step normally closes the run; make sure it is never left 'running'.
    await withDb(opts.resources.db, (sql) => sql`
      update ops.runs set status = 'success', finished_at = ops.clock_now() where run_id = ${runId} and status = 'running'`);
    return { runId, status: "success", result: last, results: scope.results };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const stopped = err instanceof FlowStopped;
    const status = stopped ? "cancelled" : "failed";
    rec.emit({
      level: stopped ? "warn" : "error",
      kind: "run_finished",
      message: `${def.id} ${status}: ${err.name}: ${err.message}`,
      data: { status, error: err.name, ...(stopped ? { reason: err.reason } : { step: failedStep.get(err) ?? null }) },
    });
    await rec.close();
    // The failure may be the database itself (dropped, restarting): recording the end is retried
    // briefly, and a run whose end cannot be recorded still returns its own error, not the bookkeeping one.
    await persistently(() =>
      withDb(opts.resources.db, async (sql) => {
        // What completed, as the report step would have summarised it.
        const done = await runReport(sql, runId);
        const summary = { assets: done.assets, failed: done.failed_total, completed_steps: Object.keys(scope.results) };
        if (stopped) await closeCancelled(sql, runId, `${err.name}: ${err.message}`, summary);
        else await finishRun(sql, runId, "failed", summary, `${err.name}: ${err.message}`);
      }),
    ).catch(() => undefined);
    if (def.onFailure && !stopped) {
      // As Windmill's failure module sees it: error.{name, message, step_id}.
      const failureScope: Scope = { ...scope, error: { name: err.name, message: err.message, step_id: failedStep.get(err) } };
      await runStep(def.onFailure, failureScope, opts).catch(() => undefined);
    }
    return { runId, status, ...(stopped ? { stopReason: err.reason } : {}), result: undefined, results: scope.results, error: err };
  } finally {
    activeRuns.delete(runId);
  }
}

/** Runs going in this process, for a stop that cannot wait for their steps (a second Ctrl-C). */
const activeRuns = new Map<string, PgResource>();

/** Close this process's runs as cancelled right now, without waiting for their steps. */
export async function abandonActiveRuns(reason: string): Promise<void> {
  await Promise.all(
    [...activeRuns].map(([runId, db]) =>
      withDb(db, async (sql) => {
        await insertEvents(sql, [{ run_id: runId, level: "warn", kind: "run_finished", message: `cancelled at once: ${reason}`, data: { status: "cancelled", reason: "signal" } }]);
        await closeCancelled(sql, runId, `FlowStopped: ${reason}`);
      }),
    ),
  );
}

/** Stop at a step boundary when asked to: Ctrl-C/SIGTERM in this process, or a cancel from elsewhere. */
function checkStop(scope: Scope): void {
  if (shutdownSignal.aborted) throw new FlowStopped("signal");
  if (scope.rec.stopReason) throw new FlowStopped(scope.rec.stopReason);
}

/** Run `fn`, retrying for a few seconds while it fails (a database coming back after a restart). */
async function persistently<T>(fn: () => Promise<T>, delaysMs: number[] = [200, 500, 1000, 2000, 4000]): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= delaysMs.length) throw e;
      await new Promise((r) => setTimeout(r, delaysMs[i]));
    }
  }
}

async function runModules(mods: Module[], scope: Scope, opts: EngineOptions): Promise<unknown> {
  let last: unknown;
  for (const m of mods) {
    checkStop(scope);
    last = await runModule(m, scope, opts);
    scope.results[m.id] = last;
  }
  return last;
}

async function runModule(m: Module, scope: Scope, opts: EngineOptions): Promise<unknown> {
  if (m.kind === "step") return runStep(m, scope, opts);
  if (m.kind === "branch") {
    const key = String(resolveRef(m.on, scope, opts));
    const mods = m.cases[key];
    if (!mods) return null; // Windmill branchone: no matching branch and an empty default
    return runModules(mods, { ...scope, results: { ...scope.results } }, opts);
  }
  const items = resolveRef(m.over, scope, opts);
  if (!Array.isArray(items)) throw new Error(`for-each ${m.id}: iterator is not a list`);
  // An omitted input falls back to its schema default, as the compiled `?? default` does on Windmill.
  const width = resolveRef(m.parallelism, scope, opts) ?? (m.parallelism.kind === "input" ? scope.inputDefaults?.[m.parallelism.name] : undefined);
  const parallelism = Math.max(1, Number(width) || 1);
  // `parallelism` workers take the next iteration when they are free: what is held for iterations
  // not yet started is their index, not a queued task each (a 10-year backfill plans 3,658 chunks).
  // After a failure no new iteration starts, and the loop fails only once the running ones have
  // settled, so nothing keeps writing after the flow has reported its end.
  const results: unknown[] = new Array(items.length).fill(null);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        checkStop(scope);
        results[index] = await runModules(m.modules, { ...scope, results: { ...scope.results }, iter: { value: items[index], index } }, opts);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}

async function runStep(m: StepModule, scope: Scope, opts: EngineOptions): Promise<unknown> {
  // Windmill skip_if: a skipped module has a null result and its arguments are never resolved.
  if (m.runIf && !resolveRef(m.runIf, scope, opts)) return null;
  const file = join(opts.root, `${m.script}.ts`);
  // A step run elsewhere (callStep: Bun, as a worker), or one that cannot be loaded (its call
  // below then fails as a step), is bound by Windmill's own parser.
  const names = opts.callStep ? mainArgNames(file) : await stepArgNames(file).catch(() => mainArgNames(file));
  // As the Windmill server evaluates input transforms: to JSON, undefined (an omitted input, a
  // missing result) becoming null. Parameters without a transform are absent (main's default applies).
  const args = names.map((n) => (n in m.args ? asTransformResult(resolveRef(m.args[n], scope, opts)) : undefined));
  for (const k of Object.keys(m.args)) {
    if (!names.includes(k)) throw new Error(`step ${m.id}: ${m.script} has no parameter "${k}"`);
  }
  const call = opts.callStep ?? (async (f: string, a: unknown[]) => (await stepMain(f))(...a));
  const attempts = 1 + (m.retry?.attempts ?? 0);
  const iteration = scope.iter?.index;
  const rec = scope.rec;
  const at = { step: m.id, iteration: iteration ?? null };
  for (let attempt = 1; ; attempt++) {
    opts.onEvent?.({ type: "start", step: m.id, iteration });
    rec.emit({ level: "debug", kind: "step_started", ...at, message: `${m.id} started${attempt > 1 ? ` (attempt ${attempt})` : ""}` });
    try {
      // JSON round trip: what the next module sees is what Windmill would pass along.
      const out = await call(file, args);
      const res = out === undefined ? null : JSON.parse(JSON.stringify(out));
      opts.onEvent?.({ type: "end", step: m.id, iteration, result: res });
      const sum = summarizeResult(res);
      rec.emit({ level: "info", kind: m.id === "plan" ? "plan" : "step_finished", ...at, message: `${m.id} finished${sum.text ? `: ${sum.text}` : ""}`, data: sum.data });
      return res;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const retryable = (err as { retryable?: boolean }).retryable !== false && !shutdownSignal.aborted;
      if (attempt >= attempts || !retryable) {
        opts.onEvent?.({ type: "error", step: m.id, iteration, error: err });
        if (shutdownSignal.aborted) {
          rec.emit({ level: "warn", kind: "step_failed", ...at, message: `${m.id} abandoned: the run is stopping`, data: { error: err.name } });
          throw new FlowStopped("signal");
        }
        rec.emit({ level: "error", kind: "step_failed", ...at, message: `${m.id} failed: ${err.name}: ${err.message}`, data: { error: err.name, retryable: retryable && attempt < attempts } });
        if (!failedStep.has(err)) failedStep.set(err, m.id);
        throw err;
      }
      opts.onEvent?.({ type: "retry", step: m.id, iteration, error: err });
      rec.emit({ level: "warn", kind: "step_retry", ...at, message: `${m.id} attempt ${attempt} of ${attempts} failed, retrying: ${err.name}: ${err.message}`, data: { error: err.name, attempt } });
      const delay = (m.retry?.seconds ?? 1) * (m.retry?.multiplier ?? 2) ** (attempt - 1) * 1000;
      await new Promise((r) => setTimeout(r, delay * (opts.retryDelayScale ?? 1)));
    }
  }
}

type StepMain = (...args: unknown[]) => Promise<unknown>;

/**
 * Each step file's `main`, imported once per process. A dynamic import() of a loaded module is
 * still resolved again every time (through tsx's loader thread): a backfill calls five steps per chunk.
 */
const stepMains = new Map<string, Promise<StepMain>>();
const argNames = new Map<string, string[]>();

/** Parameter names of a step file's `main` as Windmill binds them, read from the loaded function. */
async function stepArgNames(file: string): Promise<string[]> {
  let names = argNames.get(file);
  if (!names) {
    names = plainParamNames((await stepMain(file)).toString()) ?? mainArgNames(file);
    argNames.set(file, names);
  }
  return names;
}

function stepMain(file: string): Promise<StepMain> {
  let main = stepMains.get(file);
  if (!main) {
    main = import(pathToFileURL(file).href).then((mod: { main: StepMain }) => mod.main);
    // A rejected import is not kept: the next call imports again (and fails as a step).
    main.catch(() => stepMains.delete(file));
    stepMains.set(file, main);
  }
  return main;
}

/** An input transform's value as the step receives it on Windmill: JSON, with undefined → null. */
function asTransformResult(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/** The module whose step threw an error (Windmill's error.step_id). */
const failedStep = new WeakMap<Error, string>();

function resolveRef(r: Ref, scope: Scope, opts: EngineOptions): unknown {
  switch (r.kind) {
    case "input":
      return scope.input[r.name];
    case "static":
      return r.value;
    case "runId":
      return scope.runId;
    case "resource": {
      const v = opts.resources[r.name];
      if (v === undefined) throw new UsageError(`resource ${r.name} is not configured`);
      return v;
    }
    case "result":
      return dig(scope.results[r.step], r.path);
    case "error":
      return dig(scope.error, r.path);
    case "iter":
      if (!scope.iter) throw new Error("loop item read outside a loop");
      return dig(scope.iter.value, r.path);
  }
}

function dig(v: unknown, path: string[]): unknown {
  return path.reduce<unknown>((acc, k) => (acc == null ? undefined : (acc as Record<string, unknown>)[k]), v);
}
