// Windmill's own TypeScript parser (npm windmill-parser-wasm-ts), loaded once in Node: the same
// code `wmill generate-metadata` and the Windmill server use to read a script's signature.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as wasm from "windmill-parser-wasm-ts";

let ready = false;
function init() {
  if (ready) return;
  const require = createRequire(import.meta.url);
  wasm.initSync({ module: readFileSync(require.resolve("windmill-parser-wasm-ts/windmill_parser_wasm_bg.wasm")) });
  ready = true;
}

/** `typ` as the parser gives it: "float", "int", "bool", {str: null | string[]}, {object: …}, {resource: "x"}, {list: …}… */
export type ParserType = string | Record<string, unknown>;

export interface ParserArg {
  name: string;
  typ: ParserType;
  default: unknown;
  has_default: boolean;
  otyp?: string | null;
}

export interface ParsedScript {
  args: ParserArg[];
  /** "lib" when the file has no main. */
  auto_kind: string | null;
  has_preprocessor: boolean;
}

export function parseScript(code: string): ParsedScript {
  init();
  const out = JSON.parse(wasm.parse_deno(code)) as ParsedScript & { type?: string };
  if (out.type === "Invalid") throw new Error("windmill-parser-wasm-ts could not parse the script");
  return out;
}

/** `results.x` / `flow_input.y` references of an input-transform expression: [["results","x"], …]. */
export function parseOutputs(expr: string): string[][] {
  init();
  return (JSON.parse(wasm.parse_outputs(expr)) as { outputs: string[][] }).outputs;
}

/** Relative and /f/ imports resolved to Windmill paths (f/lib/db/resource), as the server resolves them. */
export function relativeImports(code: string, scriptPath: string): string[] {
  init();
  return wasm.parse_ts_relative_imports(code, scriptPath);
}

/** Every import specifier, as written. */
export function rawImports(code: string): string[] {
  init();
  return (JSON.parse(wasm.parse_ts_imports(code)) as { imports: string[] }).imports;
}
