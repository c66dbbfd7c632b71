// A small typed DSL for flows: steps, for-each over a list (planner chunks) with a parallelism,
// one-of branches, and references to flow input, earlier results, the loop item or a resource.
// The local engine runs these values directly; the codegen compiles them to Windmill OpenFlow.
import type { z } from "zod";

export type Ref =
  | { kind: "input"; name: string }
  | { kind: "result"; step: string; path: string[] }
  | { kind: "iter"; path: string[] }
  | { kind: "static"; value: unknown }
  | { kind: "resource"; name: ResourceName }
  | { kind: "runId" }
  | { kind: "error"; path: string[] }; // only in the failure module: the error that stopped the flow

/** A workspace resource (resources/index.ts): `db`, `slack`, and the APIs the sources declare (`kospo_api`). */
export type ResourceName = string;

export interface Retry {
  attempts: number;
  seconds: number;
  multiplier?: number;
}

export interface StepModule {
  kind: "step";
  id: string;
  summary: string;
  script: string; // Windmill path, e.g. f/pv/kospo_sync
  args: Record<string, Ref>;
  retry?: Retry;
  /** Run only when this resolves truthy; otherwise the step is skipped with a null result (Windmill `skip_if`). */
  runIf?: Ref;
}

export interface ForEachModule {
  kind: "forEach";
  id: string;
  summary: string;
  over: Ref;
  parallelism: Ref;
  modules: Module[];
}

export interface BranchModule {
  kind: "branch";
  id: string;
  summary: string;
  on: Ref;
  cases: Record<string, Module[]>;
}

export type Module = StepModule | ForEachModule | BranchModule;

export interface FlowDef<I extends z.ZodObject = z.ZodObject> {
  id: string;
  summary: string;
  description: string;
  input: I;
  /** Form field order (Windmill's `order`). */
  order: string[];
  modules: Module[];
  /** Runs when a module fails (Windmill failure_module); gets the error and the flow input. */
  onFailure?: StepModule;
}

export const input = (name: string): Ref => ({ kind: "input", name });
export const result = (step: string, ...path: string[]): Ref => ({ kind: "result", step, path });
export const iter = (...path: string[]): Ref => ({ kind: "iter", path });
export const value = (v: unknown): Ref => ({ kind: "static", value: v });
export const resource = (name: ResourceName): Ref => ({ kind: "resource", name });
export const runId = (): Ref => ({ kind: "runId" });
export const flowError = (...path: string[]): Ref => ({ kind: "error", path });

export const step = (
  id: string,
  script: string,
  args: Record<string, Ref>,
  opts: { summary?: string; retry?: Retry; runIf?: Ref } = {},
): StepModule => ({ kind: "step", id, summary: opts.summary ?? id, script, args, retry: opts.retry, ...(opts.runIf ? { runIf: opts.runIf } : {}) });

export const forEach = (
  id: string,
  over: Ref,
  opts: { parallelism: Ref; summary?: string },
  modules: Module[],
): ForEachModule => ({ kind: "forEach", id, summary: opts.summary ?? id, over, parallelism: opts.parallelism, modules });

export const branch = (id: string, on: Ref, cases: Record<string, Module[]>, summary?: string): BranchModule => ({
  kind: "branch",
  id,
  summary: summary ?? id,
  on,
  cases,
});

export class FlowDefinitionError extends Error {
  constructor(flow: string, message: string) {
    super(`flow ${flow}: ${message}`);
    this.name = "FlowDefinitionError";
  }
}

export function defineFlow<I extends z.ZodObject>(def: FlowDef<I>): FlowDef<I> {
  validateFlow(def);
  return def;
}

/** Ids unique across the flow, reserved ids avoided, results only of modules that ran before. */
export function validateFlow(def: FlowDef): void {
  const seen = new Set<string>();
  const inputs = new Set(Object.keys(def.input.shape));
  const checkRef = (r: Ref, where: string, available: Set<string>, inLoop: boolean) => {
    if (r.kind === "input" && !inputs.has(r.name)) {
      throw new FlowDefinitionError(def.id, `${where} reads flow input "${r.name}", which the flow does not declare`);
    }
    if (r.kind === "result" && !available.has(r.step)) {
      throw new FlowDefinitionError(def.id, `${where} reads results.${r.step}, which does not run before it`);
    }
    if (r.kind === "iter" && !inLoop) throw new FlowDefinitionError(def.id, `${where} reads the loop item outside a loop`);
    if (r.kind === "error" && !where.startsWith("failure.")) throw new FlowDefinitionError(def.id, `${where} reads the flow error outside the failure module`);
  };
  const walk = (mods: Module[], available: Set<string>, inLoop: boolean) => {
    for (const m of mods) {
      if (["failure", "preprocessor", "Input"].includes(m.id)) throw new FlowDefinitionError(def.id, `module id "${m.id}" is reserved`);
      if (!/^[a-z][a-z0-9_]*$/.test(m.id)) throw new FlowDefinitionError(def.id, `module id "${m.id}" must be snake_case`);
      if (seen.has(m.id)) throw new FlowDefinitionError(def.id, `module id "${m.id}" is used twice`);
      seen.add(m.id);
      if (m.kind === "step") for (const [k, r] of Object.entries(m.args)) checkRef(r, `${m.id}.${k}`, available, inLoop);
      if (m.kind === "step" && m.runIf) checkRef(m.runIf, `${m.id}.runIf`, available, inLoop);
      if (m.kind === "forEach") {
        checkRef(m.over, `${m.id}.over`, available, inLoop);
        checkRef(m.parallelism, `${m.id}.parallelism`, available, inLoop);
        walk(m.modules, new Set(available), true);
      }
      if (m.kind === "branch") {
        checkRef(m.on, `${m.id}.on`, available, inLoop);
        for (const mods of Object.values(m.cases)) walk(mods, new Set(available), inLoop);
      }
      available.add(m.id);
    }
  };
  walk(def.modules, new Set(), false);
  if (def.onFailure) {
    for (const [k, r] of Object.entries(def.onFailure.args)) checkRef(r, `failure.${k}`, new Set(), false);
    if (def.onFailure.runIf) checkRef(def.onFailure.runIf, "failure.runIf", new Set(), false);
  }
  for (const o of def.order) if (!inputs.has(o)) throw new FlowDefinitionError(def.id, `order names unknown input "${o}"`);
}

/** Every step module, depth-first, with the ids of its enclosing loops/branches. */
export function stepsOf(mods: Module[], parents: string[] = []): { step: StepModule; parents: string[] }[] {
  return mods.flatMap((m) => {
    if (m.kind === "step") return [{ step: m, parents }];
    if (m.kind === "forEach") return stepsOf(m.modules, [...parents, m.id]);
    return Object.values(m.cases).flatMap((c) => stepsOf(c, [...parents, m.id]));
  });
}
