// Rules every test file keeps, checked over the source: an assertion that passes on an empty list
// proves nothing (use tests/helpers/expect_every.ts), and no test reads the calendar from the wall
// clock (the suite's clock is pinned: f/lib/time/clock.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const TESTS = join(import.meta.dirname, "..");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
const sources = files(TESTS).map((f) => ({ file: relative(TESTS, f), text: readFileSync(f, "utf8") }));

const offending = (pattern: RegExp, skip: string[] = []) =>
  sources.filter((s) => !skip.includes(s.file)).flatMap((s) => s.text.split("\n").map((line, i) => ({ where: `${s.file}:${i + 1}`, line })).filter((l) => pattern.test(l.line)).map((l) => `${l.where}: ${l.line.trim()}`));

describe("test hygiene", () => {
  it("scans the test files", () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  it("no expect(xs.every(…)).toBe(true): it passes on an empty array", () => {
    expect(offending(/expect\(.*\.every\(.*\)\)\.toBe\(true\)/, ["helpers/expect_every.ts", "unit/test_hygiene.test.ts"])).toEqual([]);
  });

  it("no calendar from the wall clock: todayKst()/yesterdayKst() take the pinned clock, never new Date()", () => {
    expect(offending(/(todayKst|yesterdayKst)\(new Date\(\)\)|todayKst\(Date\.now/)).toEqual([]);
  });
});
