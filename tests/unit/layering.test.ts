// Which code may import which: the product (f/, src/, flows/, schedules/, resources/, bench/) never
// imports test code, and the Windmill tree (f/) imports only itself and npm packages (CE deploys f/
// alone). Static and dynamic imports alike, resolved against the importing file.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const PRODUCT = ["f", "src", "flows", "schedules", "resources", "bench"];

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "node_modules" || e.name === "dist" ? [] : files(join(dir, e.name))) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** Every relative import of a file, as a path from the repository root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specs.map((s) => relative(ROOT, resolve(dirname(file), s)));
}

const product = PRODUCT.flatMap((d) => files(join(ROOT, d))).map((f) => ({ file: relative(ROOT, f), imports: relativeImports(f) }));

describe("layering", () => {
  it("reads the product's files", () => {
    expect(product.filter((p) => p.file.startsWith("f/")).length).toBeGreaterThan(50);
    expect(product.filter((p) => p.file.startsWith("src/simulators/")).length).toBeGreaterThan(3);
  });

  it("no product file imports from tests/", () => {
    expect(product.flatMap((p) => p.imports.filter((i) => i.startsWith("tests/")).map((i) => `${p.file} → ${i}`))).toEqual([]);
  });

  it("f/ imports only f/", () => {
    const outside = product.filter((p) => p.file.startsWith("f/")).flatMap((p) => p.imports.filter((i) => !i.startsWith("f/")).map((i) => `${p.file} → ${i}`));
    expect(outside).toEqual([]);
  });
});
