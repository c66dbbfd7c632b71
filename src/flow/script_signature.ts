// Parameter names of a step's `main`, read with Windmill's own parser, so the local engine
// binds named arguments exactly as a Windmill worker does.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initSync, parse_deno } from "windmill-parser-wasm-ts";

let ready = false;
function init() {
  if (ready) return;
  const require = createRequire(import.meta.url);
  initSync({ module: readFileSync(require.resolve("windmill-parser-wasm-ts/windmill_parser_wasm_bg.wasm")) });
  ready = true;
}

export interface ParsedArg {
  name: string;
  typ: unknown;
  default: unknown;
  has_default: boolean;
}

export function parseMainSignature(code: string): { args: ParsedArg[] } {
  init();
  const sig = JSON.parse(parse_deno(code)) as { type?: string; args?: ParsedArg[] };
  if (sig.type === "Invalid" || !sig.args) throw new Error("could not parse the script's main signature");
  return { args: sig.args };
}

const cache = new Map<string, string[]>();

export function mainArgNames(file: string): string[] {
  let names = cache.get(file);
  if (!names) {
    names = parseMainSignature(readFileSync(file, "utf8")).args.map((a) => a.name);
    cache.set(file, names);
  }
  return names;
}
