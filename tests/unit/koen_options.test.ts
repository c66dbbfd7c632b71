import { describe, expect, it } from "vitest";
import { backfillOptions } from "../../src/cli/backfill_options.ts";
import { parseOptions } from "../../src/cli/options.ts";
import { UsageError } from "../../src/config/errors.ts";
import { sourceField } from "../../flows/inputs.ts";
import { backfill } from "../../flows/backfill.ts";
import { flowById } from "../../flows/index.ts";
import { stepsOf } from "../../src/flow/dsl.ts";

const base = { source: "koen", start: "2024-05-01", end: "2024-06-30" };

describe("CLI and flow inputs for KOEN", () => {
  it("pvpipe backfill --source koen is accepted", () => {
    expect(parseOptions(backfillOptions, base)).toMatchObject({ source: "koen", start: "2024-05-01", end: "2024-06-30", policy: "missing" });
    expect(sourceField.parse("koen")).toBe("koen");
  });

  it("--gencd/--hogi are KOSPO-only: a usage error for koen", () => {
    expect(() => parseOptions(backfillOptions, { ...base, gencd: "997S" })).toThrow(UsageError);
    expect(() => parseOptions(backfillOptions, { ...base, gencd: "997S" })).toThrow(/--gencd: applies to --source kospo only/);
    expect(() => parseOptions(backfillOptions, { ...base, hogi: "1" })).toThrow(/--hogi/);
  });

  it("the backfill flow loads koen through its own branch, and monthly_namdong exists", () => {
    const branch = backfill.modules.find((m) => m.kind === "forEach")!;
    const scripts = stepsOf([branch]).filter((s) => s.step.id.startsWith("koen_")).map((s) => s.step.script);
    expect(scripts.slice(0, 4)).toEqual(["f/pv/collect", "f/pv/ingest", "f/pv/check", "f/pv/impute"]);
    const monthly = flowById("monthly_namdong")!;
    expect(monthly).toBeDefined();
    const ids = stepsOf(monthly.modules).map((s) => s.step.id);
    expect(ids.slice(0, 5)).toEqual(["prepare", "plan", "open_run", "koen_collect", "koen_ingest"]);
    expect(ids).toContain("report");
  });
});
