// The import closure of a script: the script and every f/ file it reaches through relative (or
// /f/) imports, resolved to Windmill paths the way the server resolves them
// (parse_ts_relative_imports). A Windmill worker caches a script's bundle under a key made of the
// script's content, its lock and the deploy time of its *direct* relative imports
// (bun_executor.rs: compute_bundle_local_and_remote_path), so an edit two imports away would not
// change it. The closure digest goes into every script's metadata: when any file of the closure
// changes, every script reaching it gets a new version on the next push, and so does each of its
// direct imports on the path, which changes the bundle key of everything above.
import { createHash } from "node:crypto";
import { relativeImports } from "./wasm_parser.ts";

export class ImportClosureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportClosureError";
  }
}

const pathOf = (file: string) => file.replace(/\.ts$/, "");

/** Parsed imports by path and code: a closure is walked for every script, most files are shared. */
const parsed = new Map<string, string[]>();
function importsOf(code: string, scriptPath: string): string[] {
  const key = `${scriptPath}\0${code}`;
  let out = parsed.get(key);
  if (!out) {
    out = relativeImports(code, scriptPath);
    parsed.set(key, out);
  }
  return out;
}

/** `import type … from` / `export type … from` statements: the server counts them, bundlers drop them. */
const TYPE_ONLY = /\b(?:import|export)\s+type\s[^;]*?\bfrom\s*["'][^"']+["'];?/gs;

/**
 * Files (f/…/x.ts) of the closure of `file`, itself included, sorted. `sources`: file → code.
 * `valuesOnly`: follow only imports that survive bundling (what a worker's bundle is built from).
 */
export function importClosure(file: string, sources: ReadonlyMap<string, string>, opts: { valuesOnly?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const todo = [file];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    const code = sources.get(f);
    if (code === undefined) throw new ImportClosureError(`${[...seen].pop() ?? file} imports ${pathOf(f)}, which is not a deployed script (${f})`);
    seen.add(f);
    for (const p of importsOf(opts.valuesOnly ? code.replace(TYPE_ONLY, "") : code, pathOf(f))) todo.push(`${p}.ts`);
  }
  return [...seen].sort();
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A short digest of the closure's paths and contents. */
export function closureDigest(file: string, sources: ReadonlyMap<string, string>): string {
  return sha256(importClosure(file, sources).map((f) => `${f}\0${sha256(sources.get(f)!)}\n`).join("")).slice(0, 16);
}
