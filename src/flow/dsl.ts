// A small typed DSL for flows: steps, for-each over a list (planner chunks) with a parallelism,
// one-of branches, and references to flow input, earlier results, the loop item or a resource.
// The local engine runs these values directly; the codegen compiles them to Windmill OpenFlow.
//
// As in pgflow, a flow is a typed value: a step names its script through a typed handle
// (`script<typeof import("…/plan.ts")>("f/pv/plan")`), so its arguments are checked against the
// step's zod argument schema and a reference to its result (`plan.out("chunks")`) has the type
// its `main` returns. A reference the compiler cannot check (a misspelled field, a wrong type)
// does not compile; the same flow compiles to the same OpenFlow as with untyped references.
import type { z } from "zod";

type RefValue =
  | { kind: "input"; name: string }
  | { kind: "result"; step: string; path: string[] }
  | { kind: "iter"; path: string[] }
  | { kind: "static"; value: unknown }
  | { kind: "resource"; name: ResourceName }
  | { kind: "runId" }
  | { kind: "error"; path: string[] }; // only in the failure module: the error that stopped the flow

/** A reference to what a step gets; `T` is what it resolves to (a phantom the compiler checks). */
export type Ref<T = unknown> = RefValue & { readonly __resolvesTo?: T };

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

/** Untyped references (tests, fixtures): a flow input, a result path, the loop item. Typed flows use the handles below. */
export const input = (name: string): Ref => ({ kind: "input", name });
export const result = (step: string, ...path: string[]): Ref => ({ kind: "result", step, path });
export const iter = (...path: string[]): Ref => ({ kind: "iter", path });
export const value = <const T>(v: T): Ref<T> => ({ kind: "static", value: v });
/** A workspace resource: its value is the engine's (local) or the server's (`$res:`), never the flow's. */
export const resource = (name: ResourceName): Ref<never> => ({ kind: "resource", name });
export const runId = (): Ref<string> => ({ kind: "runId" });
export const flowError = (...path: ("name" | "message" | "step_id")[]): Ref<string> => ({ kind: "error", path });

/** A flow's inputs as typed references: `input("start")` is a Ref<string> when the schema says so. */
export type InputRefs<S extends z.ZodObject> = <K extends keyof z.output<S> & string>(name: K) => Ref<z.output<S>[K]>;

export function inputsOf<S extends z.ZodObject>(_schema: S): InputRefs<S> {
  return (name) => ({ kind: "input", name });
}

/** What a step module exports: its argument schema (named after the step) and its `main`. */
interface StepScriptModule {
  args: { step: string; schema: z.ZodObject };
  main: (...args: never[]) => Promise<unknown>;
}

/** A step script with its argument schema, and the types of its arguments (the schema's input) and of its result (`main`'s). */
export interface Script<In, Out> {
  readonly path: string;
  /** The schema `main` parses its arguments with (the codegen takes the form's descriptions from it). */
  readonly args: z.ZodObject;
  readonly __args?: (args: In) => void;
  readonly __result?: Out;
}

/** `script(planStep)` for `import * as planStep from "../f/pv/plan.ts"`: the step `f/pv/<its args' step name>`. */
export const script = <M extends StepScriptModule>(module: M): Script<z.input<M["args"]["schema"]>, Awaited<ReturnType<M["main"]>>> => ({
  path: `f/pv/${module.args.step}`,
  args: module.args.schema,
});

/** The arguments and the result of a script handle. */
export type ArgsOf<S> = S extends { readonly __args?: (args: infer In) => void } ? In : never;
export type ResultOf<S> = S extends { readonly __result?: infer Out } ? Out : never;

/** A step's arguments: a reference of the right type for each parameter of its schema. */
export type ArgRefs<In> = { [K in keyof In]: Ref<In[K]> };

/** A step in a flow, and the typed references to its result that later modules read. */
export interface StepHandle<Out> extends StepModule {
  /** The step's whole result. */
  readonly all: Ref<Out>;
  /** One field of the step's result. */
  out<K extends keyof Out & string>(key: K): Ref<Out[K]>;
}

type StepOptions = { summary?: string; retry?: Retry; runIf?: Ref };

export function step<In, Out>(id: string, script: Script<In, Out>, args: ArgRefs<In>, opts?: StepOptions): StepHandle<Out>;
/** An untyped step (a test's fixture script by path). */
export function step(id: string, script: string, args: Record<string, Ref>, opts?: StepOptions): StepHandle<Record<string, unknown>>;
export function step(id: string, script: Script<unknown, unknown> | string, args: Record<string, Ref>, opts: StepOptions = {}): StepHandle<Record<string, unknown>> {
  return new StepNode(id, typeof script === "string" ? script : script.path, args, opts);
}

/** A step module whose result accessors live on the prototype: the engine, the codegen and comparisons see its data only. */
class StepNode implements StepHandle<Record<string, unknown>> {
  readonly kind = "step";
  readonly summary: string;
  readonly retry?: Retry;
  readonly runIf?: Ref;
  constructor(readonly id: string, readonly script: string, readonly args: Record<string, Ref>, opts: StepOptions) {
    this.summary = opts.summary ?? id;
    if (opts.retry) this.retry = opts.retry;
    if (opts.runIf) this.runIf = opts.runIf;
  }
  get all(): Ref<Record<string, unknown>> {
    return { kind: "result", step: this.id, path: [] };
  }
  out(key: string): Ref {
    return { kind: "result", step: this.id, path: [key] };
  }
}

/** The loop item as typed references: the whole item, or one of its fields. */
export interface LoopItem<T> {
  readonly value: Ref<T>;
  field<K extends keyof T & string>(key: K): Ref<T[K]>;
}

export function forEach<T>(id: string, over: Ref<readonly T[]>, opts: { parallelism: Ref<number>; summary?: string }, body: (item: LoopItem<T>) => Module[]): ForEachModule;
/** An untyped loop (tests): modules read the item with `iter()`. */
export function forEach(id: string, over: Ref, opts: { parallelism: Ref; summary?: string }, modules: Module[]): ForEachModule;
export function forEach(id: string, over: Ref, opts: { parallelism: Ref; summary?: string }, body: Module[] | ((item: LoopItem<Record<string, unknown>>) => Module[])): ForEachModule {
  const modules = typeof body === "function" ? body({ value: { kind: "iter", path: [] }, field: (key) => ({ kind: "iter", path: [key] }) }) : body;
  return { kind: "forEach", id, summary: opts.summary ?? id, over, parallelism: opts.parallelism, modules };
}

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
