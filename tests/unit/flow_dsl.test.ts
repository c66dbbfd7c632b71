import { z } from "zod";
import { describe, expect, it } from "vitest";
import { defineFlow, forEach, input, iter, result, step, stepsOf, value } from "../../src/flow/dsl.ts";
import { FLOWS } from "../../flows/index.ts";

const inputSchema = z.object({ n: z.number() });

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
  it("every project flow is valid and has snake_case ids", () => {
    for (const f of FLOWS) expect(f.id).toMatch(/^[a-z_]+$/);
    expect(FLOWS.map((f) => f.id)).toEqual(expect.arrayContaining(["backfill", "daily_nambu", "probe"]));
  });
});
