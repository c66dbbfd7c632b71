// f/**/*.ts → `<name>.script.yaml`, the metadata `wmill sync push` deploys with each script.
// The schema is what Windmill derives from `main`'s signature (windmill-parser-wasm-ts, mapped
// to JSON Schema the way the CLI's argSigToJsonSchemaType does), plus the hand-kept fields of
// script_overrides.ts. Files without `main` (f/lib) are deployed too, with an empty schema:
// steps import them by relative path and the worker fetches them from the workspace.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { closureDigest } from "./import_closure.ts";
import { lockFileOf } from "./script_locks.ts";
import { parseScript, type ParserArg, type ParserType } from "./wasm_parser.ts";
import { SCRIPT_OVERRIDES, type ScriptOverride } from "./script_overrides.ts";
import { STEP_SCRIPTS } from "../../flows/scripts.ts";
import { z } from "zod";
import { toYaml } from "./yaml.ts";

export const SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema";

/**
 * Every deployable TypeScript file under f/, relative to the root, sorted ("f/pv/plan.ts"), plus
 * `pending` ones (generated in this run, maybe not on disk yet).
 */
export function listScriptFiles(root: string, pending: Iterable<string> = []): string[] {
  const out: string[] = [...pending].filter((p) => p.startsWith("f/") && p.endsWith(".ts"));
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const p = `${rel}/${name}`;
      if (statSync(join(root, p)).isDirectory()) {
        if (!name.endsWith("__flow") && !name.endsWith(".flow")) walk(p);
      } else if (name.endsWith(".ts") && !name.endsWith(".d.ts") && !out.includes(p)) out.push(p);
    }
  };
  if (existsSync(join(root, "f"))) walk("f");
  return out.sort();
}

/**
 * The Windmill path of a script file, as `wmill sync push` computes it: everything before the
 * FIRST dot ("f/lib/x.gen.ts" would deploy as "f/lib/x"). The server resolves an import
 * "./x.gen.ts" to "f/lib/x.gen", so a dotted name breaks imports; we refuse it.
 */
export function scriptPathOf(file: string): string {
  const base = file.slice(0, file.indexOf("."));
  if (`${base}.ts` !== file) {
    throw new Error(`${file}: Windmill deploys it as ${base} but imports of it resolve to ${file.replace(/\.ts$/, "")}; rename it without extra dots (e.g. ${base}_${file.slice(base.length + 1).replace(/\.ts$/, "").replace(/\./g, "_")}.ts)`);
  }
  return base;
}

export const metadataFileOf = (scriptPath: string) => `${scriptPath}.script.yaml`;

type Json = Record<string, unknown>;

/** One parameter type → JSON Schema, as the CLI (argSigToJsonSchemaType) writes it for a new script. */
export function argTypeToSchema(t: ParserType): Json {
  const s: Json = { description: "" };
  if (t === "int") return { ...s, type: "integer" };
  if (t === "float") return { ...s, type: "number" };
  if (t === "bool") return { ...s, type: "boolean" };
  if (t === "email") return { ...s, type: "string", format: "email" };
  if (t === "sql") return { ...s, type: "string", format: "sql" };
  if (t === "yaml") return { ...s, type: "string", format: "yaml" };
  if (t === "bytes") return { ...s, type: "string", contentEncoding: "base64", originalType: "bytes" };
  if (t === "datetime") return { ...s, type: "string", format: "date-time" };
  if (t === "date") return { ...s, type: "string", format: "date" };
  if (typeof t === "object" && t !== null) {
    if ("str" in t) {
      const e = t.str as string[] | null;
      return e ? { ...s, type: "string", originalType: "enum", enum: e } : { ...s, type: "string", originalType: "string" };
    }
    if ("resource" in t) return { ...s, type: "object", format: `resource-${String(t.resource)}` };
    if ("object" in t) {
      const o = t.object as { name: string | null; props?: { key: string; typ: ParserType }[] };
      const out: Json = { ...s, type: "object" };
      if (o.name) out.format = `resource-${o.name}`;
      if (o.props) out.properties = Object.fromEntries(o.props.map((p) => [p.key, argTypeToSchema(p.typ)]));
      return out;
    }
    if ("list" in t) {
      const l = t.list as ParserType | null;
      if (l === "int" || l === "float") return { ...s, type: "array", items: { type: "number" }, originalType: "number[]" };
      if (l === "bytes") return { ...s, type: "array", items: { type: "string", contentEncoding: "base64" }, originalType: "bytes[]" };
      if (l === "string") return { ...s, type: "array", items: { type: "string" }, originalType: "string[]" };
      if (l && typeof l === "object" && "str" in l) {
        const e = l.str as string[] | null;
        return e ? { ...s, type: "array", items: { type: "string", enum: e }, originalType: "enum[]" } : { ...s, type: "array", items: { type: "string" }, originalType: "string[]" };
      }
      if (l && typeof l === "object" && "resource" in l && l.resource) {
        return { ...s, type: "array", items: { type: "resource", resourceType: l.resource }, originalType: "resource[]" };
      }
      if (l && typeof l === "object" && "object" in l) {
        const o = l.object as { name: string | null; props?: { key: string; typ: ParserType }[] };
        const out: Json = { ...s, type: "array" };
        if (o.name) out.format = `resource-${o.name}`;
        out.items = o.props?.length ? { type: "object", properties: Object.fromEntries(o.props.map((p) => [p.key, argTypeToSchema(p.typ)])) } : { type: "object" };
        out.originalType = "record[]";
        return out;
      }
      return { ...s, type: "array", items: { type: "object" }, originalType: "object[]" };
    }
    if ("oneof" in t) return { ...s, type: "object" };
    if ("dynselect" in t) return { ...s, type: "object", format: `dynselect-${String(t.dynselect)}` };
  }
  return { ...s, type: "object" };
}

/** The schema `wmill generate-metadata` derives for a new script with these arguments. */
export function argsToSchema(args: ParserArg[]): { $schema: string; type: "object"; properties: Record<string, Json>; required: string[] } {
  const properties: Record<string, Json> = {};
  for (const a of args) {
    properties[a.name] = { ...argTypeToSchema(a.typ), default: a.default };
    if (a.otyp && a.otyp.includes("[") && a.otyp.includes("|")) properties[a.name].originalType = a.otyp;
  }
  return { $schema: SCHEMA_URL, type: "object", properties, required: args.filter((a) => !a.has_default).map((a) => a.name) };
}

/** The first comment block of a file, as plain text lines. */
export function headerComment(code: string): string[] {
  const lines: string[] = [];
  for (const line of code.split("\n")) {
    const m = /^\s*\/\/\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1].trim());
  }
  return lines.filter(Boolean);
}

function mergeParam(scriptPath: string, name: string, prop: Json, o: NonNullable<ScriptOverride["params"]>[string]): Json {
  const out = { ...prop };
  if (o.format) {
    if (out.type !== "string") throw new Error(`${scriptPath}: format ${o.format} on non-string parameter ${name}`);
    out.format = o.format;
  }
  if (o.enumLabels) {
    if (!Array.isArray(out.enum)) throw new Error(`${scriptPath}: enumLabels on parameter ${name}, which is not an enum`);
    out.enumLabels = o.enumLabels;
  }
  if (o.title) out.title = o.title;
  if (o.placeholder) out.placeholder = o.placeholder;
  if (o.description) out.description = o.description;
  return out;
}

export interface ScriptMetadata {
  summary: string;
  description: string;
  lock: string;
  kind: "script";
  schema: ReturnType<typeof argsToSchema>;
  has_preprocessor?: boolean;
}

/** The line the import-closure digest adds to a description (import_closure.ts says why). */
export const closureLine = (digest: string) => `Import closure ${digest} (generated; changes with any file this script imports).`;

export function scriptMetadata(
  root: string,
  file: string,
  code: string = readFileSync(join(root, file), "utf8"),
  overrides: Record<string, ScriptOverride> = SCRIPT_OVERRIDES,
  closure?: string,
): ScriptMetadata {
  const scriptPath = scriptPathOf(file);
  const parsed = parseScript(code);
  const schema = argsToSchema(parsed.args);
  const o = overrides[scriptPath] ?? {};
  // Parameter descriptions come from the step's own argument schema (what `main` parses), unless overridden.
  const args = STEP_SCRIPTS.find((s) => s.path === scriptPath)?.args;
  for (const [name, field] of Object.entries(args?.shape ?? {})) {
    const description = z.globalRegistry.get(field)?.description;
    if (description && name in schema.properties) schema.properties[name] = { ...schema.properties[name], description };
  }
  for (const [name, po] of Object.entries(o.params ?? {})) {
    if (!(name in schema.properties)) throw new Error(`script_overrides: ${scriptPath} has no parameter "${name}"`);
    schema.properties[name] = mergeParam(scriptPath, name, schema.properties[name], po);
  }
  const header = headerComment(code);
  const meta: ScriptMetadata = {
    summary: o.summary ?? (header[0] ?? "").replace(/[.:]$/, "").slice(0, 120),
    description: [o.description ?? header.join(" "), closure ? closureLine(closure) : ""].filter(Boolean).join("\n\n"),
    // The lock file Windmill would store for it (script_locks.ts), deployed with the script.
    lock: `!inline ${lockFileOf(scriptPath)}`,
    kind: "script",
    schema,
  };
  if (parsed.has_preprocessor) meta.has_preprocessor = true;
  return meta;
}

/** Path → content of every `.script.yaml` and `.script.lock`; `pending` holds generated sources not yet written. */
export function renderScriptMetadataFiles(root: string, pending: Map<string, string> = new Map(), lock = ""): Map<string, string> {
  const files = new Map<string, string>();
  const sources = new Map(listScriptFiles(root, pending.keys()).map((f) => [f, pending.get(f) ?? readFileSync(join(root, f), "utf8")] as const));
  const scripts = [...sources.keys()];
  for (const [file, code] of sources) {
    const scriptPath = scriptPathOf(file);
    files.set(metadataFileOf(scriptPath), toYaml(scriptMetadata(root, file, code, SCRIPT_OVERRIDES, closureDigest(file, sources))));
    files.set(lockFileOf(scriptPath), lock);
  }
  for (const p of Object.keys(SCRIPT_OVERRIDES)) {
    if (!scripts.includes(`${p}.ts`)) throw new Error(`script_overrides: no script ${p}.ts`);
  }
  return files;
}
