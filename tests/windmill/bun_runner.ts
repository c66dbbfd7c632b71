// Runs one step the way a Windmill Bun worker does (backend/windmill-worker wrapper.mjs): import
// the script, spread the named args into main's parameters in signature order (a missing arg is
// undefined, so main's own default applies), and write the JSON result (undefined → null) or
// the error ({name, message, stack, extra: own properties}) to a file; exit 1 on error.
// Usage: bun tests/windmill/bun_runner.ts <script.ts> <input.json> <result.json>
//   input.json: {"names": [...parameter names], "args": {...named args}}
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

if (!process.versions.bun) {
  console.error("bun_runner.ts must run under Bun (node_modules/.bin/bun)");
  process.exit(2);
}

const [file, inputFile, resultFile] = process.argv.slice(2);
const { names, args } = JSON.parse(readFileSync(inputFile, "utf8")) as { names: string[]; args: Record<string, unknown> };

try {
  const Main = (await import(pathToFileURL(file).href)) as { main?: (...a: unknown[]) => unknown };
  if (typeof Main.main !== "function") throw new Error("main function is missing");
  const res = await Main.main(...names.map((n) => args[n]));
  writeFileSync(resultFile, JSON.stringify(res ?? null, (_k, v) => (typeof v === "undefined" ? null : v)));
  process.exit(0);
} catch (e) {
  const err = e as Error & Record<string, unknown>;
  const extra: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(err)) {
    if (!["line", "name", "stack", "column", "message", "sourceURL", "originalLine", "originalColumn"].includes(k)) extra[k] = err[k];
  }
  writeFileSync(resultFile, JSON.stringify({ error: { name: err?.name, message: err?.message, stack: err?.stack, ...(Object.keys(extra).length ? { extra } : {}) } }));
  process.exit(1);
}
