// The README "Guarantees" figures are the ones the reliability suites produced (results/*.json).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentSection, readAllResults, renderGuarantees } from "./guarantees.ts";

describe("README guarantees", () => {
  it("match what the reliability suites produced (re-render: npx tsx tests/reliability/render_guarantees.ts)", () => {
    const results = readAllResults();
    // Every reliability suite reports (each *.test.ts here but this one writes results/<stem>.json).
    const suites = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".test.ts") && f !== "guarantees_readme.test.ts").map((f) => f.replace(/\.test\.ts$/, ""));
    expect(results.map((r) => r.suite).sort()).toEqual(suites.sort());
    for (const r of results) for (const l of r.lines) expect({ lost: l.rowsLost, duplicated: l.rowsDuplicated, leaked: l.secretsLeaked }).toEqual({ lost: 0, duplicated: 0, leaked: 0 });
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
    expect(currentSection(readme)).toBe(renderGuarantees(results));
  });
});
