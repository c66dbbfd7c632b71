import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseMainSignature } from "../../src/flow/script_signature.ts";
import { describe, expect, it } from "vitest";
import { defineFlow, forEach, input, inputsOf, iter, resource, result, runId, step, stepsOf, value } from "../../src/flow/dsl.ts";
import { FLOWS } from "../../flows/index.ts";
import { COLLECT, PLAN, STEP_SCRIPTS } from "../../flows/scripts.ts";

const inputSchema = z.object({ n: z.number() });
const ROOT = join(import.meta.dirname, "..", "..");

describe("flow DSL", () => {
  it("rejects a result read before its step runs", () => {
    expect(() => defineFlow({
      id: "bad", summary: "", description: "", input: inputSchema, order: ["n"],
      modules: [step("a", "f/t/echo", { b: result("b") }), step("b", "f/t/echo", { b: value("x") })],
    })).toThrow(/reads results\.b, which does not run before it/);
  });
  it("rejects duplicate and reserved ids, unknown inputs and loop items outside loops", () => {
    const base = { summary: "", description: "", input: inputSchema, order: ["n"] };
    expect(() => defineFlow({ ...base, id: "d", modules: [step("a", "x", {}), step("a", "x", {})] })).toThrow(/used twice/);
    expect(() => defineFlow({ ...base, id: "r", modules: [step("failure", "x", {})] })).toThrow(/reserved/);
    expect(() => defineFlow({ ...base, id: "u", modules: [step("a", "x", { b: input("nope") })] })).toThrow(/does not declare/);
    expect(() => defineFlow({ ...base, id: "i", modules: [step("a", "x", { b: iter() })] })).toThrow(/outside a loop/);
  });
  it("steps inside a loop see the loop item and earlier results", () => {
    const f = defineFlow({
      id: "ok", summary: "", description: "", input: inputSchema, order: ["n"],
      modules: [
        step("a", "f/t/echo", { b: value("x") }),
        forEach("loop", result("a", "items"), { parallelism: value(2) }, [step("c", "f/t/echo", { b: iter("k"), a: result("a", "a") })]),
      ],
    });
    expect(stepsOf(f.modules).map((s) => [s.step.id, s.parents])).toEqual([["a", []], ["c", ["loop"]]]);
  });
  it("step handles: a reference to another step's result or a flow input is checked by the compiler (tsc runs over this file)", () => {
    const schema = z.object({ source: z.string(), start: z.iso.date(), parallelism: z.number() });
    const flowInput = inputsOf(schema);
    const plan = step("plan", PLAN, { db: resource("db"), source: flowInput("source"), start: flowInput("start"), run_id: runId() });
    // @ts-expect-error the plan step returns no field "chunkz"
    plan.out("chunkz");
    // @ts-expect-error the flow declares no input "stat"
    flowInput("stat");
    // @ts-expect-error plan's `unit` is a number, the flow's `start` a date string
    step("plan2", PLAN, { db: resource("db"), source: flowInput("source"), unit: flowInput("start") });
    // @ts-expect-error plan has no parameter `chunk`
    step("plan3", PLAN, { db: resource("db"), source: flowInput("source"), chunk: value(1) });
    const loop = forEach("chunks", plan.out("chunks"), { parallelism: flowInput("parallelism") }, (chunk) => [
      step("collect", COLLECT, { db: resource("db"), source: value("kospo"), api: resource("kospo_api"), run_id: plan.out("run_id"), chunk: chunk.value }),
      // @ts-expect-error collect's chunk is a planned chunk, not the run id
      step("collect2", COLLECT, { db: resource("db"), source: value("kospo"), api: resource("kospo_api"), run_id: plan.out("run_id"), chunk: plan.out("run_id") }),
    ]);
    // The handles compile to the same references as the untyped ones.
    expect(plan.out("chunks")).toEqual(result("plan", "chunks"));
    expect(loop.modules[0].kind === "step" && loop.modules[0].args.chunk).toEqual(iter());
  });

  it("every step has a handle whose schema names exactly main's parameters, in order", () => {
    const steps = readdirSync(join(ROOT, "f/pv")).filter((n) => n.endsWith(".ts")).map((n) => `f/pv/${n.replace(/\.ts$/, "")}`).sort();
    expect(STEP_SCRIPTS.map((s) => s.path).sort()).toEqual(steps);
    for (const s of STEP_SCRIPTS) {
      const params = parseMainSignature(readFileSync(join(ROOT, `${s.path}.ts`), "utf8")).args.map((a) => a.name);
      expect(Object.keys(s.args.shape), s.path).toEqual(params);
    }
  });

  it("every project flow is valid and has snake_case ids", () => {
    for (const f of FLOWS) expect(f.id).toMatch(/^[a-z_]+$/);
    expect(FLOWS.map((f) => f.id)).toEqual(expect.arrayContaining(["backfill", "daily_nambu", "probe"]));
  });
});
