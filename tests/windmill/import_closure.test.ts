// No stale bundles. A worker reuses a step's bundle while the step's content, its lock and the
// deploy times of its *direct* relative imports are unchanged (bun_executor.rs:
// compute_bundle_local_and_remote_path). So an edit to an f/lib file must change the metadata of
// every script that reaches it, directly or not: the next push then deploys a new version of each,
// and every step above such a file has a direct import (or itself) redeployed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { closureDigest, importClosure } from "../../src/codegen/import_closure.ts";
import { renderScriptMetadataFiles } from "../../src/codegen/script_metadata.ts";
import { relativeImports } from "../../src/codegen/wasm_parser.ts";
import { scriptSources } from "../../src/codegen/windmill.ts";
import { ROOT } from "./wmill_tools.ts";

vi.setConfig({ testTimeout: 240_000 });

const sources = scriptSources(ROOT);
const files = [...sources.keys()];
const libFiles = files.filter((f) => f.startsWith("f/lib/"));
const steps = files.filter((f) => f.startsWith("f/pv/"));
const pathOf = (f: string) => f.replace(/\.ts$/, "");

/** Direct imports of each file, and who reaches a file (computed here, from the parser, by a reverse walk). */
const direct = new Map(files.map((f) => [f, relativeImports(sources.get(f)!, pathOf(f)).map((p) => `${p}.ts`)]));
function reachers(target: string): Set<string> {
  const out = new Set<string>([target]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [f, imps] of direct) if (!out.has(f) && imps.some((i) => out.has(i))) (out.add(f), (grew = true));
  }
  return out;
}
const edited = (f: string) => new Map(sources).set(f, `${sources.get(f)}\n// an edit\n`);

describe("the import-closure digest in each script's metadata", () => {
  it("an edit to f/lib/time/kst.ts changes the .script.yaml of exactly the scripts reaching it, transitively too", () => {
    const target = "f/lib/time/kst.ts";
    const before = renderScriptMetadataFiles(ROOT, new Map(), "lock");
    const after = renderScriptMetadataFiles(ROOT, new Map([[target, edited(target).get(target)!]]), "lock");
    const changed = [...after].filter(([p, c]) => before.get(p) !== c).map(([p]) => p).sort();
    const expected = [...reachers(target)].map((f) => `${pathOf(f)}.script.yaml`).sort();
    expect(changed).toEqual(expected);
    // Steps that reach it only through other f/lib files are among them.
    const transitive = steps.filter((s) => reachers(target).has(s) && !direct.get(s)!.includes(target));
    expect(transitive.length).toBeGreaterThan(0);
    expect(steps.some((s) => !reachers(target).has(s))).toBe(true);
  });

  it("for every f/lib file: an edit changes the digest of every script reaching it and of no other", () => {
    expect(libFiles.length).toBeGreaterThan(20);
    const base = new Map(files.map((f) => [f, closureDigest(f, sources)]));
    for (const lib of libFiles) {
      const srcs = edited(lib);
      const changed = files.filter((f) => closureDigest(f, srcs) !== base.get(f)).sort();
      expect(changed, lib).toEqual([...reachers(lib)].sort());
    }
  });

  it("every step reaching an edited file has itself or a direct import redeployed, so its bundle key changes", () => {
    for (const lib of libFiles) {
      const reach = reachers(lib);
      for (const s of steps.filter((x) => reach.has(x) && x !== lib)) {
        expect(direct.get(s)!.some((d) => reach.has(d)), `${s} → ${lib}`).toBe(true);
      }
    }
  });

  it("the digest is what the committed metadata carries", () => {
    for (const f of steps) {
      const yaml = readFileSync(join(ROOT, `${pathOf(f)}.script.yaml`), "utf8");
      expect(yaml, f).toContain(`Import closure ${closureDigest(f, sources)}`);
      expect(importClosure(f, sources)).toContain(f);
    }
  });
});
