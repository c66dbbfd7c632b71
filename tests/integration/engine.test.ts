import { join } from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branch, defineFlow, flowError, forEach, input, iter, resource, result, step, value } from "../../src/flow/dsl.ts";
import { runFlow, type EngineOptions } from "../../src/flow/engine.ts";
import { UsageError } from "../../src/config/errors.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const root = join(import.meta.dirname, "..", "fixtures", "engine");
const g = globalThis as unknown as { maxInFlight?: number; inFlight?: number; flakyCalls?: Record<string, number>; failureSeen?: unknown };
let db: TestDb;
let opts: EngineOptions;
beforeAll(async () => {
  db = await createTestDb();
  opts = { root, resources: { db: db.resource }, retryDelayScale: 0 };
});
afterAll(async () => db?.drop());

describe("local engine", () => {
  it("binds arguments by name, passes JSON results on and records the run", async () => {
    const f = defineFlow({
      id: "t1", summary: "", description: "", input: z.object({ word: z.string(), n: z.number().default(7) }), order: ["word", "n"],
      modules: [step("first", "f/t/echo", { a: input("n"), b: input("word") }), step("second", "f/t/echo", { b: result("first", "at") })],
    });
    const r = await runFlow(f, { word: "hi" }, opts);
    expect(r.status).toBe("success");
    expect(r.results.first).toEqual({ a: 7, b: "hi", when: "", at: "2024-06-01T00:00:00.000Z" });
    expect((r.results.second as { b: unknown }).b).toBe("2024-06-01T00:00:00.000Z");
    const [run] = await db.sql`select flow, status, inputs from ops.runs where run_id = ${r.runId}`;
    expect(run).toMatchObject({ flow: "t1", status: "success", inputs: { word: "hi", n: 7 } });
  });

  it("runs for-each iterations with bounded parallelism and collects their results in order", async () => {
    g.maxInFlight = 0;
    const f = defineFlow({
      id: "t2", summary: "", description: "", input: z.object({ items: z.array(z.number()), p: z.number() }), order: ["items", "p"],
      modules: [forEach("loop", input("items"), { parallelism: input("p") }, [step("double", "f/t/slow", { item: iter() })])],
    });
    const r = await runFlow(f, { items: [1, 2, 3, 4, 5, 6, 7, 8], p: 3 }, opts);
    expect(r.results.loop).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(g.maxInFlight).toBe(3);
  });

  it("takes the branch named by the value", async () => {
    const f = defineFlow({
      id: "t3", summary: "", description: "", input: z.object({ source: z.enum(["x", "y"]) }), order: ["source"],
      modules: [branch("pick", input("source"), { x: [step("sx", "f/t/echo", { b: value("went x") })], y: [step("sy", "f/t/echo", { b: value("went y") })] })],
    });
    const r = await runFlow(f, { source: "y" }, opts);
    expect((r.results.pick as { b: string }).b).toBe("went y");
  });

  it("retries retryable failures and stops at once on the others, then runs the failure module", async () => {
    g.flakyCalls = {};
    const ok = defineFlow({
      id: "t4", summary: "", description: "", input: z.object({}), order: [],
      modules: [step("f", "f/t/flaky", { key: value("a"), failures: value(2) }, { retry: { attempts: 2, seconds: 1 } })],
    });
    const r1 = await runFlow(ok, {}, opts);
    expect(r1.status).toBe("success");
    expect(r1.results.f).toEqual({ calls: 3 });

    const failing = defineFlow({
      id: "t5", summary: "", description: "", input: z.object({}), order: [],
      modules: [step("f", "f/t/flaky", { key: value("b"), failures: value(5), retryable: value(false) }, { retry: { attempts: 3, seconds: 1 } })],
      onFailure: step("notify", "f/t/on_failure", { message: flowError("message"), flow: value("t5") }),
    });
    const r2 = await runFlow(failing, {}, opts);
    expect(r2.status).toBe("failed");
    expect(g.flakyCalls.b).toBe(1);
    expect(g.failureSeen).toEqual({ message: "failure 1", flow: "t5" });
    const [run] = await db.sql`select status, error from ops.runs where run_id = ${r2.runId}`;
    expect(run.status).toBe("failed");
    expect(run.error).toContain("failure 1");
  });

  it("rejects invalid input before creating a run", async () => {
    const f = defineFlow({ id: "t6", summary: "", description: "", input: z.object({ n: z.number() }), order: ["n"], modules: [] });
    const before = await db.sql`select count(*)::int as n from ops.runs`;
    await expect(runFlow(f, { n: "x" }, opts)).rejects.toBeInstanceOf(UsageError);
    const after = await db.sql`select count(*)::int as n from ops.runs`;
    expect(after[0].n).toBe(before[0].n);
  });

  it("fails clearly when a flow passes an argument the script does not take", async () => {
    const f = defineFlow({ id: "t7", summary: "", description: "", input: z.object({}), order: [], modules: [step("s", "f/t/echo", { nope: value(1), b: value("x") })] });
    const r = await runFlow(f, {}, opts);
    expect(r.error?.message).toMatch(/has no parameter "nope"/);
    void resource;
  });
});
