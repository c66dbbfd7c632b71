import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { STEP_SCRIPTS } from "../../flows/scripts.ts";
import { plainParamNames } from "../../src/flow/main_params.ts";
import { parseMainSignature } from "../../src/flow/script_signature.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** Every step file the local engine runs: the project's and the test and bench fixtures'. */
function stepFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return stepFiles(p);
    return e.name.endsWith(".ts") && /export (async )?function main\b/.test(readFileSync(p, "utf8")) ? [p] : [];
  });
}

describe("main's parameter names read from the loaded function", () => {
  const files = [join(ROOT, "f/pv"), join(ROOT, "tests/fixtures"), join(ROOT, "bench/fixtures")].flatMap(stepFiles);

  it("are Windmill's parser's names for every step file, none left to the fallback", async () => {
    // every step the flows call is among them, and the fixtures' steps too
    expect(files.filter((f) => f.includes(`${join("f", "pv")}/`)).length).toBe(STEP_SCRIPTS.length);
    expect(files.length).toBeGreaterThan(STEP_SCRIPTS.length);
    for (const file of files) {
      const { main } = (await import(pathToFileURL(file).href)) as { main: (...a: unknown[]) => unknown };
      const windmill = parseMainSignature(readFileSync(file, "utf8")).args.map((a) => a.name);
      expect(plainParamNames(main.toString()), file).toEqual(windmill);
    }
  });

  it("reads defaults that hold brackets, commas and quotes", () => {
    expect(plainParamNames(`async function main(a, b = [1, 2], c = { x: "(,)" }, d = 'it\\'s', e = f(1, 2)) {}`)).toEqual(["a", "b", "c", "d", "e"]);
    expect(plainParamNames("function main() { return 1; }")).toEqual([]);
    expect(plainParamNames("async (a, b,) => a")).toEqual(["a", "b"]);
  });

  it("leaves what it does not read plainly to Windmill's parser", () => {
    for (const src of [
      "function main(...rest) {}",
      "function main({ a, b }) {}",
      "function main([a]) {}",
      "function main(a /* the first */, b) {}",
      "function main(a = `t${1}`) {}",
      "function main(a = /x/) {}",
      "function main(a, b",
      "x => x",
    ]) expect(plainParamNames(src), src).toBeNull();
  });
});
