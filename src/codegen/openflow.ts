// FlowDef (src/flow/dsl.ts) → Windmill OpenFlow (`f/pv/<flow>__flow/flow.yaml`). The local engine
// runs the same FlowDef, so module order, loop structure, branch conditions, retries and every
// argument's source come from one definition (tests/windmill/engine_openflow.test.ts walks both).
import { z } from "zod";
import type { FlowDef, Module, Ref, Retry, StepModule } from "../flow/dsl.ts";
import { inputDefaults } from "../flow/input_defaults.ts";
import { resourcePath } from "../../resources/index.ts";
import { toYaml } from "./yaml.ts";

export type InputTransform = { type: "static"; value: unknown } | { type: "javascript"; expr: string };

export interface OpenFlowModule {
  id: string;
  summary: string;
  value: Record<string, unknown>;
  skip_if?: { expr: string };
  retry?: { exponential: { attempts: number; multiplier: number; seconds: number }; retry_if?: { expr: string } };
}

export interface OpenFlow {
  summary: string;
  description: string;
  value: { modules: OpenFlowModule[]; failure_module?: OpenFlowModule };
  schema: Record<string, unknown>;
}

export const FAILURE_MODULE_ID = "failure";

/**
 * Windmill's retry_if sees the failed job's result, `{error: {name, message, extra: {own props}}}`.
 * Errors with `retryable = false` (f/lib/sources/errors.ts) are not retried, as in the local engine.
 */
export const RETRY_IF_EXPR = "result?.error?.extra?.retryable !== false";

export const flowPath = (flowId: string) => `f/pv/${flowId}`;
export const flowFile = (flowId: string) => `f/pv/${flowId}__flow/flow.yaml`;

/** `a.b["c-d"]` for a path under a root expression. */
function access(root: string, path: string[]): string {
  return path.reduce((acc, k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${acc}.${k}` : `${acc}[${JSON.stringify(k)}]`), root);
}

/** The JavaScript expression Windmill evaluates for a ref (or null for refs that compile to static values). */
export function refExpr(r: Ref): string | null {
  switch (r.kind) {
    case "input":
      return access("flow_input", [r.name]);
    case "result":
      return access(`results.${r.step}`, r.path);
    case "iter":
      return access("flow_input.iter.value", r.path);
    case "error":
      return access("error", r.path);
    default:
      return null;
  }
}

export function refToTransform(r: Ref): InputTransform {
  switch (r.kind) {
    case "static":
      return { type: "static", value: r.value };
    case "resource":
      return { type: "static", value: `$res:${resourcePath(r.name)}` };
    case "runId":
      // The steps fall back to WM_ROOT_FLOW_JOB_ID (f/lib/store/runs.ts resolveRunId).
      return { type: "static", value: "" };
    default:
      return { type: "javascript", expr: refExpr(r)! };
  }
}

/**
 * DSL retry: first retry after `seconds`, each next one `multiplier` times longer (default 2).
 * Windmill waits `multiplier * seconds^n` before retry n, so base = our multiplier and
 * factor = seconds / multiplier give the same delays (30 s, 60 s, … for {seconds: 30}).
 */
export function retryToWindmill(r: Retry, where: string): NonNullable<OpenFlowModule["retry"]> {
  const base = r.multiplier ?? 2;
  if (!Number.isInteger(base) || base < 1) throw new Error(`${where}: retry multiplier must be an integer ≥ 1 for Windmill`);
  if (!Number.isInteger(r.seconds) || r.seconds % base !== 0) {
    throw new Error(`${where}: retry seconds (${r.seconds}) must be a multiple of the multiplier (${base}) to give Windmill the same delays`);
  }
  return { exponential: { attempts: r.attempts, multiplier: r.seconds / base, seconds: base }, retry_if: { expr: RETRY_IF_EXPR } };
}

export interface FlowCompileContext {
  /** Parameter names of a script's main, in signature order (windmill-parser-wasm-ts). */
  paramsOf(scriptPath: string): string[];
  /** The flow's input defaults (set by flowToOpenFlow). */
  inputDefaults?: Record<string, unknown>;
}

/**
 * A loop's parallelism. Read from an input with a default, it falls back to that default: an API
 * caller may omit the input, and Windmill then evaluates flow_input.x to null, not to the default.
 */
function parallelismTransform(r: Ref, ctx: FlowCompileContext): InputTransform {
  const fallback = r.kind === "input" ? ctx.inputDefaults?.[r.name] : undefined;
  if (r.kind !== "input" || fallback === undefined) return refToTransform(r);
  return { type: "javascript", expr: `${refExpr(r)} ?? ${JSON.stringify(fallback)}` };
}


function stepValue(m: StepModule, ctx: FlowCompileContext, where: string): Record<string, unknown> {
  const params = ctx.paramsOf(m.script);
  for (const k of Object.keys(m.args)) {
    if (!params.includes(k)) throw new Error(`${where}: ${m.script} has no parameter "${k}" (parameters: ${params.join(", ")})`);
  }
  const input_transforms: Record<string, InputTransform> = {};
  for (const p of params) if (p in m.args) input_transforms[p] = refToTransform(m.args[p]);
  return { type: "script", path: m.script, input_transforms };
}

function stepModule(m: StepModule, id: string, ctx: FlowCompileContext, where: string): OpenFlowModule {
  const out: OpenFlowModule = { id, summary: m.summary, value: stepValue(m, ctx, where) };
  if (m.runIf) out.skip_if = { expr: `!(${refExprOrValue(m.runIf)})` };
  if (m.retry) out.retry = retryToWindmill(m.retry, where);
  return out;
}

function refExprOrValue(r: Ref): string {
  const e = refExpr(r);
  if (e !== null) return e;
  if (r.kind === "static") return JSON.stringify(r.value);
  throw new Error(`a ${r.kind} ref cannot be used in a condition`);
}

export function compileModules(mods: Module[], ctx: FlowCompileContext, flowId: string): OpenFlowModule[] {
  return mods.map((m): OpenFlowModule => {
    const where = `flow ${flowId}, module ${m.id}`;
    if (m.kind === "step") return stepModule(m, m.id, ctx, where);
    if (m.kind === "forEach") {
      return {
        id: m.id,
        summary: m.summary,
        value: {
          type: "forloopflow",
          iterator: refToTransform(m.over),
          skip_failures: false,
          parallel: true,
          parallelism: parallelismTransform(m.parallelism, ctx),
          modules: compileModules(m.modules, ctx, flowId),
        },
      };
    }
    const on = refExprOrValue(m.on);
    return {
      id: m.id,
      summary: m.summary,
      value: {
        type: "branchone",
        branches: Object.entries(m.cases).map(([c, mods]) => ({
          summary: c,
          expr: `${on} === ${JSON.stringify(c)}`,
          modules: compileModules(mods, ctx, flowId),
        })),
        default: [],
      },
    };
  });
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;
const PROPERTY_KEY_ORDER = ["type", "format", "enum", "enumLabels", "default", "title", "description", "placeholder", "minimum", "maximum", "items", "properties", "required"];

function orderKeys(o: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(o).sort((a, b) => {
    const ia = PROPERTY_KEY_ORDER.indexOf(a);
    const ib = PROPERTY_KEY_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/**
 * A form-friendly property: no regex on date pickers, no ±2^53 bounds, array items typed the way
 * Windmill's list input knows them (number, not integer), stable key order.
 */
function formProperty(p: Record<string, unknown>): Record<string, unknown> {
  const out = { ...p };
  if (out.format === "date") delete out.pattern;
  if (out.maximum === SAFE_INT) delete out.maximum;
  if (out.minimum === -SAFE_INT) delete out.minimum;
  if (out.items && typeof out.items === "object") {
    const items = formProperty(out.items as Record<string, unknown>);
    if (items.type === "integer") items.type = "number";
    out.items = items;
  }
  if (out.properties && typeof out.properties === "object") {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Record<string, unknown>>).map(([k, v]) => [k, formProperty(v)]));
  }
  return orderKeys(out);
}

/**
 * The flow's input form: JSON Schema 2020-12 from the zod input (input side, so fields with a
 * default are optional and carry it: Windmill passes every field explicitly), plus `order`.
 */
export function flowSchema(def: FlowDef): Record<string, unknown> {
  const js = z.toJSONSchema(def.input, { io: "input" }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const props = js.properties ?? {};
  const names = [...def.order, ...Object.keys(props).filter((k) => !def.order.includes(k))];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    order: names,
    properties: Object.fromEntries(names.map((n) => [n, formProperty(props[n])])),
    required: names.filter((n) => js.required?.includes(n)),
  };
}

export function flowToOpenFlow(def: FlowDef, baseCtx: FlowCompileContext): OpenFlow {
  const ctx = { ...baseCtx, inputDefaults: inputDefaults(def) };
  const value: OpenFlow["value"] = { modules: compileModules(def.modules, ctx, def.id) };
  if (def.onFailure) value.failure_module = stepModule(def.onFailure, FAILURE_MODULE_ID, ctx, `flow ${def.id}, failure module`);
  return { summary: def.summary, description: def.description, value, schema: flowSchema(def) };
}

export function renderFlowYaml(def: FlowDef, ctx: FlowCompileContext): string {
  return toYaml(flowToOpenFlow(def, ctx));
}
