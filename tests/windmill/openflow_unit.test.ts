// Pieces of the OpenFlow compiler: ref → input transform, retry delays, form schema clean-up.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flowSchema, refToTransform, retryToWindmill } from "../../src/codegen/openflow.ts";
import { scriptPathOf } from "../../src/codegen/script_metadata.ts";
import { defineFlow, flowError, input, iter, resource, result, runId, step, value } from "../../src/flow/dsl.ts";

describe("refToTransform", () => {
  it("maps every ref kind", () => {
    expect(refToTransform(input("start"))).toEqual({ type: "javascript", expr: "flow_input.start" });
    expect(refToTransform(result("plan", "chunks"))).toEqual({ type: "javascript", expr: "results.plan.chunks" });
    expect(refToTransform(result("plan", "a-b", "0"))).toEqual({ type: "javascript", expr: 'results.plan["a-b"]["0"]' });
    expect(refToTransform(iter())).toEqual({ type: "javascript", expr: "flow_input.iter.value" });
    expect(refToTransform(iter("pdim"))).toEqual({ type: "javascript", expr: "flow_input.iter.value.pdim" });
    expect(refToTransform(value({ a: 1 }))).toEqual({ type: "static", value: { a: 1 } });
    expect(refToTransform(resource("db"))).toEqual({ type: "static", value: "$res:f/pv/db" });
    expect(refToTransform(runId())).toEqual({ type: "static", value: "" });
    expect(refToTransform(flowError("message"))).toEqual({ type: "javascript", expr: "error.message" });
  });
});

describe("retryToWindmill", () => {
  const delays = (r: { exponential: { multiplier: number; seconds: number; attempts: number } }) =>
    Array.from({ length: r.exponential.attempts }, (_, i) => r.exponential.multiplier * r.exponential.seconds ** (i + 1));

  it("gives Windmill (multiplier·seconds^n) the engine's delays (seconds·multiplier^(n-1))", () => {
    expect(delays(retryToWindmill({ attempts: 3, seconds: 30 }, "x"))).toEqual([30, 60, 120]);
    expect(delays(retryToWindmill({ attempts: 2, seconds: 10, multiplier: 5 }, "x"))).toEqual([10, 50]);
    expect(delays(retryToWindmill({ attempts: 2, seconds: 7, multiplier: 1 }, "x"))).toEqual([7, 7]);
  });

  it("refuses delays Windmill cannot express", () => {
    expect(() => retryToWindmill({ attempts: 2, seconds: 5 }, "flow f, module m")).toThrow(/multiple of the multiplier/);
    expect(() => retryToWindmill({ attempts: 2, seconds: 6, multiplier: 1.5 }, "x")).toThrow(/integer/);
  });
});

describe("flowSchema", () => {
  const f = defineFlow({
    id: "t",
    summary: "t",
    description: "",
    input: z.object({
      day: z.iso.date().describe("A day"),
      n: z.number().int().min(0).default(3),
      ids: z.array(z.number().int().positive()).default([]),
      mode: z.enum(["a", "b"]).default("b"),
    }),
    order: ["mode", "day"],
    modules: [step("s", "f/t/s", { day: input("day") })],
  });

  it("is draft 2020-12 with order, date pickers without regex, defaults, and number[] items", () => {
    const s = flowSchema(f) as { $schema: string; order: string[]; properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(s.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(s.order).toEqual(["mode", "day", "n", "ids"]);
    expect(s.properties.day).toEqual({ type: "string", format: "date", description: "A day" });
    expect(s.properties.n).toEqual({ type: "integer", default: 3, minimum: 0 });
    expect((s.properties.ids.items as Record<string, unknown>).type).toBe("number");
    expect(s.properties.mode).toEqual({ type: "string", enum: ["a", "b"], default: "b" });
    expect(s.required).toEqual(["day"]);
  });
});

describe("scriptPathOf", () => {
  it("is the path before the first dot, and refuses names Windmill would deploy under another path", () => {
    expect(scriptPathOf("f/pv/plan.ts")).toBe("f/pv/plan");
    expect(scriptPathOf("f/lib/db/migrations_gen.ts")).toBe("f/lib/db/migrations_gen");
    expect(() => scriptPathOf("f/lib/db/migrations.gen.ts")).toThrow(/rename it without extra dots/);
  });
});
