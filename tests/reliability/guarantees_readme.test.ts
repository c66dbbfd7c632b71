// The README "Guarantees" section is checked against each suite's own observations by that suite
// (settleSuite). Here: the section is whole (every suite has its row, the totals add up), and the
// mechanism itself fails when it should.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countSecrets, currentSection, README_PATH, renderBlock, renderRow, settleSuite, type SuiteResults } from "./guarantees.ts";

const section = currentSection(readFileSync(README_PATH, "utf8")) ?? "";
const rows = section.split("\n").filter((l) => /^\| [^-]/.test(l) && !l.startsWith("| suite "));
const numbers = (l: string) => l.split("|").slice(2, 6).map((c) => Number(c.trim().replaceAll("*", "")));

describe("README guarantees", () => {
  it("has a row and a block for every reliability suite, and the totals add up", () => {
    const suites = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".test.ts") && f !== "guarantees_readme.test.ts").map((f) => f.replace(/\.test\.ts$/, ""));
    expect(suites.length).toBeGreaterThan(0);
    for (const s of suites) expect(section, s).toContain(`(\`tests/reliability/${s}.test.ts\`)`);
    const all = rows.find((l) => l.startsWith("| **all**"));
    const each = rows.filter((l) => l !== all);
    expect(each).toHaveLength(suites.length);
    const total = each.map(numbers).reduce((a, b) => a.map((x, i) => x + b[i]));
    expect(numbers(all ?? "")).toEqual(total);
    expect(total[0]).toBeGreaterThan(0); // scenarios
  });

  const sample: SuiteResults = {
    suite: "sample",
    title: "Sample",
    order: 9,
    scenarioNames: ["a"],
    lines: [{ claim: "nothing is lost", test: "x", scenarios: 1, rowsLost: 0, rowsDuplicated: 0, secretsLeaked: 0 }],
  };

  it("settleSuite fails a suite that lost, duplicated or leaked anything, even in a partial run", () => {
    for (const k of ["rowsLost", "rowsDuplicated", "secretsLeaked"] as const) {
      const bad = { ...sample, lines: [{ ...sample.lines[0], [k]: 1 }] };
      expect(() => settleSuite(bad, false, { write: false }), k).toThrow();
    }
    expect(() => settleSuite(sample, false, { write: false })).not.toThrow();
  });

  it("settleSuite fails a complete run whose figures the README does not show", () => {
    expect(section).not.toContain(renderBlock(sample));
    expect(section.split("\n")).not.toContain(renderRow(sample));
    expect(() => settleSuite(sample, true, { write: false })).toThrow(/README/);
  });

  it("the leak scan finds a secret in every encoding it can be reported in", () => {
    const key = "sim-key/with+special=chars==";
    const texts = [
      key,
      encodeURIComponent(key),
      encodeURIComponent(key).toLowerCase(),
      encodeURIComponent(encodeURIComponent(key)),
      Buffer.from(key).toString("base64"),
      JSON.stringify({ k: key }).replaceAll("/", "\\/"),
    ];
    const found = countSecrets(texts, [key]);
    expect(found.count).toBeGreaterThanOrEqual(texts.length);
    expect(countSecrets(["serviceKey=***"], [key]).count).toBe(0);
  });
});
