// The local engine and the generated OpenFlow agree. Structure: module ids, kinds, nesting, loop
// iterators and parallelism, branch conditions, retries and skip conditions in flow.yaml follow the
// FlowDef the engine runs. Behaviour: each flow runs twice with the same stub steps — once in the
// local engine, once in a small interpreter of the flow.yaml (javascript transforms evaluated with
// flow_input / results / error, $res: resolved, as a Windmill worker does) — and both must call
// the same scripts with the same arguments, in the same order within each loop iteration, take the
// same branches, and run the failure module the same way.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { FLOWS } from "../../flows/index.ts";
import { FAILURE_MODULE_ID, RETRY_IF_EXPR } from "../../src/codegen/openflow.ts";
import { stepsOf, type FlowDef, type Module, type Ref, type ResourceName } from "../../src/flow/dsl.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { mainArgNames } from "../../src/flow/script_signature.ts";
import { fileTestDb } from "../helpers/db.ts";
import { ROOT } from "./wmill_tools.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

interface YModule {
  id: string;
  summary?: string;
  value: {
    type: string;
    path?: string;
    input_transforms?: Record<string, YTransform>;
    iterator?: YTransform;
    parallelism?: YTransform;
    parallel?: boolean;
    skip_failures?: boolean;
    modules?: YModule[];
    branches?: { summary?: string; expr: string; modules: YModule[] }[];
    default?: YModule[];
  };
  skip_if?: { expr: string };
  retry?: { exponential: { attempts: number; multiplier: number; seconds: number }; retry_if?: { expr: string } };
}
type YTransform = { type: "static"; value: unknown } | { type: "javascript"; expr: string };
interface YFlow {
  summary: string;
  value: { modules: YModule[]; failure_module?: YModule };
  schema: { properties: Record<string, { default?: unknown }>; required: string[]; order: string[] };
}

const yamlOf = (id: string) => parse(readFileSync(join(ROOT, `f/pv/${id}__flow/flow.yaml`), "utf8")) as YFlow;

const db = fileTestDb();

// ---------------------------------------------------------------------------------------------
// Structure

function checkStructure(mods: Module[], ymods: YModule[], where: string) {
  expect(ymods.map((m) => m.id), where).toEqual(mods.map((m) => m.id));
  mods.forEach((m, i) => {
    const y = ymods[i];
    const at = `${where} > ${m.id}`;
    expect(y.summary, at).toBe(m.summary);
    if (m.kind === "step") {
      expect(y.value.type, at).toBe("script");
      expect(y.value.path, at).toBe(m.script);
      expect(Object.keys(y.value.input_transforms ?? {}).sort(), at).toEqual(Object.keys(m.args).sort());
      expect(Boolean(y.retry), at).toBe(Boolean(m.retry));
      if (m.retry) {
        // Same delays: the engine waits seconds·multiplier^(n-1) before retry n, Windmill multiplier·seconds^n.
        const e = y.retry!.exponential;
        expect(e.attempts, at).toBe(m.retry.attempts);
        for (let n = 1; n <= m.retry.attempts; n++) expect(e.multiplier * e.seconds ** n, at).toBe(m.retry.seconds * (m.retry.multiplier ?? 2) ** (n - 1));
        expect(y.retry!.retry_if?.expr, at).toBe(RETRY_IF_EXPR);
      }
      expect(Boolean(y.skip_if), at).toBe(Boolean(m.runIf));
    } else if (m.kind === "forEach") {
      expect(y.value.type, at).toBe("forloopflow");
      expect(y.value.parallel, at).toBe(true);
      expect(y.value.skip_failures, at).toBe(false);
      checkStructure(m.modules, y.value.modules ?? [], at);
    } else {
      expect(y.value.type, at).toBe("branchone");
      expect(y.value.default, at).toEqual([]);
      expect(y.value.branches?.map((b) => b.summary), at).toEqual(Object.keys(m.cases));
      Object.values(m.cases).forEach((c, j) => checkStructure(c, y.value.branches![j].modules, `${at}[${j}]`));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Behaviour: the same stub steps under both

const RESOURCE_NAMES: ResourceName[] = ["db", "kospo_api", "asos_api", "koen_site", "slack"];
const fakeResource = (name: string) => ({ fake_resource: name });

interface Call {
  script: string;
  args: Record<string, unknown>;
}

/**
 * Every step returns the same shape, with two chunks to loop over; `failAt` makes one script throw
 * (a retryable error, or one with `retryable = false` like the typed source errors).
 */
function stubStep(calls: Call[], failAt?: string, retryable = true) {
  return (script: string, args: Record<string, unknown>): unknown => {
    calls.push({ script, args });
    if (script === failAt) {
      const e = new Error(`stub failure in ${script}`) as Error & { retryable?: boolean };
      e.name = "StubFailure";
      if (!retryable) e.retryable = false;
      throw e;
    }
    return {
      run_id: "run-from-plan",
      refetch: false,
      chunks: [
        { asset: "a", pdim: "u1", start: "2024-06-01", end: "2024-06-02" },
        { asset: "a", pdim: "u2", start: "2024-06-03", end: "2024-06-03" },
      ],
      script,
    };
  };
}

async function runEngine(def: FlowDef, input: Record<string, unknown>, failAt?: string, retryable = true, inputDefaults = true) {
  const calls: Call[] = [];
  const stub = stubStep(calls, failAt, retryable);
  const r = await runFlow(def, input, {
    inputDefaults,
    root: ROOT,
    resources: { ...Object.fromEntries(RESOURCE_NAMES.map((n) => [n, fakeResource(n)])), db: db.resource } as never,
    retryDelayScale: 0,
    callStep: async (file, args) => {
      const script = file.slice(ROOT.length + 1).replace(/\.ts$/, "");
      const names = mainArgNames(file);
      return stub(script, Object.fromEntries(names.map((n, i) => [n, args[i]]).filter(([, v]) => v !== undefined)));
    },
  });
  // What Windmill passes for runId() is "" (the step falls back to the root job id): same meaning.
  for (const c of calls) for (const [k, v] of Object.entries(c.args)) if (v === r.runId) c.args[k] = "<root job>";
  for (const c of calls) for (const [k, v] of Object.entries(c.args)) if (JSON.stringify(v) === JSON.stringify(db.resource)) c.args[k] = fakeResource("db");
  return { calls, status: r.status };
}

/**
 * A minimal OpenFlow interpreter: what a Windmill worker does with flow.yaml. `formDefaults`: the
 * omitted inputs are filled from the schema defaults, as the form and schedules do; false: as an
 * API caller that omits them.
 */
async function runYaml(flow: YFlow, input: Record<string, unknown>, failAt?: string, retryable = true, formDefaults = true) {
  const calls: Call[] = [];
  const stub = stubStep(calls, failAt, retryable);
  const flowInput: Record<string, unknown> = { ...input };
  if (formDefaults) for (const [k, p] of Object.entries(flow.schema.properties)) if (!(k in flowInput) && "default" in p) flowInput[k] = p.default;
  const evalExpr = (expr: string, ctx: { results: Record<string, unknown>; iter?: { value: unknown; index: number }; error?: unknown; result?: unknown }) =>
    // eslint-disable-next-line no-new-func
    new Function("flow_input", "results", "error", "result", `return (${expr});`)(ctx.iter ? { ...flowInput, iter: ctx.iter } : flowInput, ctx.results, ctx.error, ctx.result);
  /** The result Windmill stores for a failed Bun job (the worker wrapper's error object). */
  const failedResult = (e: Error) => {
    const extra = Object.fromEntries(Object.getOwnPropertyNames(e).filter((k) => !["name", "message", "stack"].includes(k)).map((k) => [k, (e as never)[k]]));
    return { error: { name: e.name, message: e.message, ...(Object.keys(extra).length ? { extra } : {}) } };
  };
  // The server evaluates a transform to JSON: undefined (an omitted input, a missing result) is null.
  const transform = (t: YTransform, ctx: Parameters<typeof evalExpr>[1]) => {
    if (t.type === "javascript") {
      const v: unknown = evalExpr(t.expr, ctx);
      return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
    }
    if (typeof t.value === "string" && t.value.startsWith("$res:f/pv/")) return fakeResource(t.value.slice("$res:f/pv/".length));
    return t.value === "" ? "<root job>" : t.value;
  };
  const runMods = async (mods: YModule[], ctx: Parameters<typeof evalExpr>[1]): Promise<unknown> => {
    let last: unknown = null;
    for (const m of mods) {
      if (m.skip_if && evalExpr(m.skip_if.expr, ctx)) {
        last = null;
      } else if (m.value.type === "script") {
        const args = Object.fromEntries(Object.entries(m.value.input_transforms ?? {}).map(([k, t]) => [k, transform(t, ctx)]));
        for (let failures = 0; ; failures++) {
          try {
            last = JSON.parse(JSON.stringify(stub(m.value.path!, args)));
            break;
          } catch (e) {
            const err = e as Error;
            // Windmill: retry while attempts remain and retry_if (seeing the failed result) is true.
            const more = failures < (m.retry?.exponential.attempts ?? 0);
            if (more && (!m.retry?.retry_if || evalExpr(m.retry.retry_if.expr, { ...ctx, result: failedResult(err) }))) {
              await Promise.resolve();
              continue;
            }
            (e as { step_id?: string }).step_id ??= m.id;
            throw e;
          }
        }
      } else if (m.value.type === "forloopflow") {
        // Parallel: up to `parallelism` iterations at once; after a failure no new one starts
        // (skip_failures: false), and the loop fails once the running ones are done.
        const items = transform(m.value.iterator!, ctx) as unknown[];
        const width = m.value.parallel ? Math.max(1, Number(transform(m.value.parallelism!, ctx)) || 1) : 1;
        const out: unknown[] = [];
        let next = 0;
        let failure: unknown;
        const worker = async () => {
          while (failure === undefined && next < items.length) {
            const index = next++;
            try {
              out[index] = await runMods(m.value.modules!, { ...ctx, results: { ...ctx.results }, iter: { value: items[index], index } });
            } catch (e) {
              failure ??= e;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
        if (failure !== undefined) throw failure;
        last = out;
      } else if (m.value.type === "branchone") {
        const b = m.value.branches!.find((br) => evalExpr(br.expr, ctx));
        last = b ? await runMods(b.modules, { ...ctx, results: { ...ctx.results } }) : await runMods(m.value.default ?? [], ctx);
      } else throw new Error(`module type ${m.value.type} not interpreted`);
      ctx.results[m.id] = last;
    }
    return last;
  };
  const results: Record<string, unknown> = {};
  try {
    await runMods(flow.value.modules, { results });
    return { calls, status: "success" };
  } catch (e) {
    const err = e as Error & { step_id?: string };
    if (flow.value.failure_module) {
      await runMods([flow.value.failure_module], { results, error: { name: err.name, message: err.message, step_id: err.step_id } }).catch(() => undefined);
    }
    return { calls, status: "failed" };
  }
}

/**
 * Calls grouped by loop item, each group in call order; groups sorted. A call belongs to the item
 * whose unit (stub pdim u1/u2) its arguments carry, whole or in parts (iter() or iter("pdim")).
 */
function normalize(calls: Call[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const c of calls) {
    const key = /"(u\d)"/.exec(JSON.stringify(c.args))?.[1] ?? "outside loops";
    groups.set(key, [...(groups.get(key) ?? []), JSON.stringify(c, Object.keys({ script: 1, args: 1, ...c.args }).sort())]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, ...v]);
}

/** One input per value of every enum input a branch switches on; required dates filled in. */
function inputsFor(def: FlowDef): Record<string, unknown>[] {
  const js = z.toJSONSchema(def.input, { io: "input" }) as { properties: Record<string, { enum?: string[]; format?: string }>; required?: string[] };
  const base: Record<string, unknown> = {};
  for (const k of js.required ?? []) {
    const p = js.properties[k];
    base[k] = p.enum ? p.enum[0] : p.format === "date" ? "2024-06-01" : "x";
  }
  const branchInputs = new Set<string>();
  const visit = (mods: Module[]) => {
    for (const m of mods) {
      if (m.kind === "forEach") visit(m.modules);
      if (m.kind === "branch") {
        if (m.on.kind === "input") branchInputs.add(m.on.name);
        Object.values(m.cases).forEach(visit);
      }
    }
  };
  visit(def.modules);
  const out = [base];
  for (const name of branchInputs) for (const v of js.properties[name]?.enum ?? []) out.push({ ...base, [name]: v });
  return out;
}

const firstLoopStep = (mods: Module[]): string | undefined => {
  for (const m of mods) {
    if (m.kind === "forEach") {
      const s = m.modules.find((x) => x.kind === "step");
      if (s && s.kind === "step") return s.script;
    }
  }
  return undefined;
};

describe.each(FLOWS.map((f) => [f.id, f] as const))("flow %s", (_id, def) => {
  const y = yamlOf(def.id);

  it("has the FlowDef's modules, nesting, loops, branches, retries and skip conditions", () => {
    expect(y.summary).toBe(def.summary);
    checkStructure(def.modules, y.value.modules, def.id);
    expect(y.schema.order).toEqual([...def.order, ...Object.keys(def.input.shape).filter((k) => !def.order.includes(k))]);
    if (def.onFailure) {
      expect(y.value.failure_module?.id).toBe(FAILURE_MODULE_ID);
      expect(y.value.failure_module?.value.path).toBe(def.onFailure.script);
    } else expect(y.value.failure_module).toBeUndefined();
  });

  it("calls the same scripts with the same arguments as the local engine, for every branch", async () => {
    for (const input of inputsFor(def)) {
      const engine = await runEngine(def, input);
      const yaml = await runYaml(y, input);
      expect(yaml.status, JSON.stringify(input)).toBe(engine.status);
      expect(normalize(yaml.calls), JSON.stringify(input)).toEqual(normalize(engine.calls));
    }
  });

  it("retries, stops the loop and runs the failure module the same way when a step fails", async () => {
    const failAt = firstLoopStep(def.modules) ?? (def.modules[0]?.kind === "step" ? def.modules[0].script : undefined);
    if (!failAt) return;
    for (const input of inputsFor(def).slice(0, 1)) {
      for (const slack of [false, true]) {
        for (const retryable of [true, false]) {
          const i = "slack" in def.input.shape ? { ...input, slack } : input;
          const engine = await runEngine(def, i, failAt, retryable);
          const yaml = await runYaml(y, i, failAt, retryable);
          const what = JSON.stringify({ failAt, slack, retryable });
          expect(engine.status, what).toBe("failed");
          expect(yaml.status, what).toBe("failed");
          expect(normalize(yaml.calls), what).toEqual(normalize(engine.calls));
        }
      }
    }
  });
});

// Server semantics: a caller (the API, `wmill flow run`) may omit every optional input. Windmill
// then evaluates flow_input.x to null for the steps; the local engine with inputDefaults: false
// must make the same calls, nulls included, and loops still get their schema's parallelism.
describe("every optional input omitted (server semantics)", () => {
  it.each(FLOWS.map((f) => [f.id, f] as const))("%s: the engine passes what the server passes", async (_id, def) => {
    const input = inputsFor(def)[0];
    const required = new Set((z.toJSONSchema(def.input, { io: "input" }) as { required?: string[] }).required ?? []);
    expect(Object.keys(input).filter((k) => !required.has(k)), "optional inputs given").toEqual([]); // only required inputs (none for some flows)
    const engine = await runEngine(def, input, undefined, true, false);
    const yaml = await runYaml(yamlOf(def.id), input, undefined, true, false);
    expect(yaml.status).toBe("success");
    expect(engine.status).toBe("success");
    expect(engine.calls.length).toBeGreaterThan(0);
    expect(normalize(yaml.calls)).toEqual(normalize(engine.calls));
    const omitted = Object.keys(def.input.shape).filter((k) => !required.has(k));
    const firstStep = engine.calls[0];
    const fromOmitted = stepsOf(def.modules).flatMap(({ step: s }) => Object.entries(s.args).filter(([, r]) => r.kind === "input" && omitted.includes(r.name)).map(([k]) => [s.script, k]));
    for (const [script, arg] of fromOmitted.filter(([script]) => script === firstStep.script)) expect(firstStep.args[arg], `${script}.${arg}`).toBeNull();
  });

  it("every input a loop or a branch reads is required or has a default in the flow schema", () => {
    const reads: string[] = [];
    for (const def of FLOWS) {
      const schema = yamlOf(def.id).schema;
      const visit = (mods: Module[]) => {
        for (const m of mods) {
          if (m.kind === "forEach") {
            for (const r of [m.over, m.parallelism]) if (r.kind === "input") reads.push(`${def.id}.${r.name}`);
            visit(m.modules);
          }
          if (m.kind === "branch") {
            if (m.on.kind === "input") reads.push(`${def.id}.${m.on.name}`);
            Object.values(m.cases).forEach(visit);
          }
        }
      };
      visit(def.modules);
      for (const r of reads.filter((x) => x.startsWith(`${def.id}.`))) {
        const name = r.slice(def.id.length + 1);
        expect(schema.required.includes(name) || "default" in (schema.properties[name] ?? {}), r).toBe(true);
      }
    }
    expect(reads.length).toBeGreaterThan(0);
  });
});

// The checks above really compare: a flow.yaml with one transform changed is told apart.
describe("the comparison can fail", () => {
  it("notices a wrong input transform and a wrong branch condition", async () => {
    const def = FLOWS.find((f) => f.id === "backfill")!;
    const input = inputsFor(def)[0];
    const engine = await runEngine(def, input);
    const broken = yamlOf("backfill");
    broken.value.modules[0].value.input_transforms!.end = { type: "javascript", expr: "flow_input.start + \"x\"" };
    expect(normalize((await runYaml(broken, input)).calls)).not.toEqual(normalize(engine.calls));
    const broken2 = yamlOf("backfill");
    const branch = broken2.value.modules.flatMap((m) => m.value.modules ?? []).find((m) => m.value.type === "branchone");
    if (branch) {
      branch.value.branches![0].expr = "false";
      expect(normalize((await runYaml(broken2, input)).calls)).not.toEqual(normalize(engine.calls));
    }
  });
});

// Keep the Ref type in use for readers: every Ref kind the DSL has is exercised by the flows.
it("the flows use every kind of reference", () => {
  const kinds = new Set<Ref["kind"]>();
  const add = (mods: Module[]) => {
    for (const m of mods) {
      if (m.kind === "step") Object.values(m.args).forEach((r) => kinds.add(r.kind));
      if (m.kind === "forEach") {
        kinds.add(m.over.kind);
        add(m.modules);
      }
      if (m.kind === "branch") Object.values(m.cases).forEach(add);
    }
  };
  for (const f of FLOWS) {
    add(f.modules);
    if (f.onFailure) add([f.onFailure]);
  }
  expect([...kinds].sort()).toEqual(["error", "input", "iter", "resource", "result", "runId", "static"]);
});
