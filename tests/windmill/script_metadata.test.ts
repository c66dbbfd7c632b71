// Every deployable script's `.script.yaml` says what Windmill's parser (windmill-parser-wasm-ts)
// derives from its `main` — checked here against the raw parser output with a table of its own, not
// with the generator's mapping — plus only the hand-kept fields. Also: imports resolve to deployed
// scripts, npm imports are dependencies, resource parameters are resource types that exist, and
// every `results.x` a flow reads names a module that ran before it (parse_outputs).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { FLOWS } from "../../flows/index.ts";
import { listScriptFiles, scriptPathOf } from "../../src/codegen/script_metadata.ts";
import { SCRIPT_OVERRIDES } from "../../src/codegen/script_overrides.ts";
import { parseOutputs, parseScript, rawImports, relativeImports, type ParserType } from "../../src/codegen/wasm_parser.ts";
import { ROOT, walk } from "./wmill_tools.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const files = listScriptFiles(ROOT);
const resourceTypes = ["postgresql", ...readdirSync(ROOT).filter((n) => n.endsWith(".resource-type.yaml")).map((n) => n.replace(/\.resource-type\.yaml$/, ""))];
const HAND_KEPT = ["description", "format", "enumLabels", "title", "placeholder"];

type Prop = Record<string, unknown>;
const meta = (file: string) =>
  parse(readFileSync(join(ROOT, `${scriptPathOf(file)}.script.yaml`), "utf8")) as {
    summary: string;
    kind: string;
    lock: string;
    schema: { $schema: string; type: string; properties: Record<string, Prop>; required: string[] };
  };

/** The JSON Schema type Windmill gives a parser type (WINDMILL.md §2.2), independently of the generator. */
function expectedType(t: ParserType): { type: string; format?: string } {
  if (t === "float") return { type: "number" };
  if (t === "int") return { type: "integer" };
  if (t === "bool") return { type: "boolean" };
  if (t === "datetime") return { type: "string", format: "date-time" };
  if (typeof t === "object" && "str" in t) return { type: "string" };
  if (typeof t === "object" && "resource" in t) return { type: "object", format: `resource-${String(t.resource)}` };
  if (typeof t === "object" && "object" in t) {
    const name = (t.object as { name: string | null }).name;
    return name ? { type: "object", format: `resource-${name}` } : { type: "object" };
  }
  if (typeof t === "object" && "list" in t) return { type: "array" };
  return { type: "object" };
}

describe("script metadata matches windmill-parser-wasm-ts", () => {
  it("covers every f/**/*.ts with a .script.yaml, and a .ts for every .script.yaml", () => {
    const metas = walk(join(ROOT, "f")).filter((p) => p.endsWith(".script.yaml")).map((p) => `f/${p.replace(/\.script\.yaml$/, "")}`);
    expect(metas.sort()).toEqual(files.map(scriptPathOf).sort());
    expect(files.some((f) => f === "f/pv/plan.ts")).toBe(true);
  });

  it.each(files.filter((f) => f.startsWith("f/pv/")))("%s: parameters, types, defaults, required", (file) => {
    const code = readFileSync(join(ROOT, file), "utf8");
    const sig = parseScript(code);
    expect(sig.auto_kind, `${file} must export main`).not.toBe("lib");
    const m = meta(file);
    expect(m.kind).toBe("script");
    expect(m.schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(m.schema.properties)).toEqual(sig.args.map((a) => a.name));
    expect(m.schema.required).toEqual(sig.args.filter((a) => !a.has_default).map((a) => a.name));
    const hand = SCRIPT_OVERRIDES[scriptPathOf(file)]?.params ?? {};
    for (const a of sig.args) {
      const p = m.schema.properties[a.name];
      const want = expectedType(a.typ);
      expect(p.type, `${file} ${a.name}`).toBe(want.type);
      // format: from the parser, or hand-kept (format: date on a string), nothing else.
      expect(p.format, `${file} ${a.name}`).toBe(hand[a.name]?.format ?? want.format);
      expect(p.default ?? null, `${file} ${a.name}`).toEqual(a.default ?? null);
      if (typeof a.typ === "object" && "str" in a.typ && a.typ.str) expect(p.enum).toEqual(a.typ.str);
      // Anything else in the property is the generator's (the CLI's fields) or hand-kept.
      const extra = Object.keys(p).filter((k) => !["type", "format", "default", "enum", "originalType", "properties", "items", ...HAND_KEPT].includes(k));
      expect(extra, `${file} ${a.name}`).toEqual([]);
    }
  });

  it("resource parameters are resource types that exist; plain objects (chunk) stay plain objects", () => {
    for (const file of files.filter((f) => f.startsWith("f/pv/"))) {
      for (const a of parseScript(readFileSync(join(ROOT, file), "utf8")).args) {
        const f = expectedType(a.typ).format;
        if (f?.startsWith("resource-")) expect(resourceTypes, `${file} ${a.name}: ${f}`).toContain(f.slice("resource-".length));
        if (a.name === "chunk") expect(f, `${file} chunk must be an inline object type, not a named alias`).toBeUndefined();
        if (["db", "kospo_api", "asos_api", "koen_site", "slack"].includes(a.name)) expect(f, `${file} ${a.name}`).toMatch(/^resource-/);
      }
    }
  });

  it("hand-kept fields name real scripts and parameters; date parameters are strings", () => {
    for (const [path, o] of Object.entries(SCRIPT_OVERRIDES)) {
      expect(existsSync(join(ROOT, `${path}.ts`)), path).toBe(true);
      const m = meta(`${path}.ts`);
      for (const [name, po] of Object.entries(o.params ?? {})) {
        expect(m.schema.properties[name], `${path} ${name}`).toBeDefined();
        if (po.format) expect(m.schema.properties[name].type).toBe("string");
        if (po.description) expect(m.schema.properties[name].description).toBe(po.description);
      }
    }
  });

  it("f/lib has no main and an empty schema; every script's relative import is a deployed script under f/", () => {
    for (const file of files) {
      const code = readFileSync(join(ROOT, file), "utf8");
      if (file.startsWith("f/lib/")) {
        expect(parseScript(code).auto_kind, file).toBe("lib");
        expect(meta(file).schema.properties).toEqual({});
      }
      for (const imp of relativeImports(code, scriptPathOf(file))) {
        // The worker fetches the import by this path; `wmill sync push` deploys files under it.
        expect(files.map(scriptPathOf), `${file} imports ${imp}`).toContain(imp);
      }
      for (const spec of rawImports(code).filter((s) => !s.startsWith(".") && !s.startsWith("/") && !s.startsWith("node:"))) {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        expect(Object.keys(pkg.dependencies), `${file} imports ${spec}`).toContain(name);
      }
    }
  });

  it("detects a named type alias turned into a resource picker", () => {
    const sig = parseScript("type Chunk = { start: string };\nexport async function main(chunk: Chunk) {}\n");
    expect(expectedType(sig.args[0].typ).format).toBe("resource-chunk");
  });
});

describe("flow expressions read only earlier modules (parse_outputs)", () => {
  interface Mod {
    id: string;
    value: { type: string; input_transforms?: Record<string, { type: string; expr?: string }>; iterator?: { expr?: string }; parallelism?: { expr?: string }; modules?: Mod[]; branches?: { expr: string; modules: Mod[] }[]; default?: Mod[] };
    skip_if?: { expr: string };
  }

  it.each(FLOWS.map((f) => f.id))("%s", (id) => {
    const flow = parse(readFileSync(join(ROOT, `f/pv/${id}__flow/flow.yaml`), "utf8")) as { value: { modules: Mod[]; failure_module?: Mod }; schema: { properties: Record<string, unknown> } };
    const inputs = Object.keys(flow.schema.properties);
    let checked = 0;
    const check = (expr: string | undefined, where: string, before: Set<string>, inLoop: boolean) => {
      if (!expr) return;
      for (const [root, name] of parseOutputs(expr)) {
        checked++;
        if (root === "results") expect(before.has(name), `${where}: results.${name} is not an earlier module`).toBe(true);
        if (root === "flow_input") expect(name === "iter" ? inLoop : inputs.includes(name), `${where}: flow_input.${name}`).toBe(true);
      }
    };
    const walkMods = (mods: Mod[], before: Set<string>, inLoop: boolean) => {
      for (const m of mods) {
        check(m.skip_if?.expr, `${m.id}.skip_if`, before, inLoop);
        for (const [k, t] of Object.entries(m.value.input_transforms ?? {})) check(t.expr, `${m.id}.${k}`, before, inLoop);
        check(m.value.iterator?.expr, `${m.id}.iterator`, before, inLoop);
        check(m.value.parallelism?.expr, `${m.id}.parallelism`, before, inLoop);
        if (m.value.modules) walkMods(m.value.modules, new Set(before), true);
        for (const b of m.value.branches ?? []) {
          check(b.expr, `${m.id} branch`, before, inLoop);
          walkMods(b.modules, new Set(before), inLoop);
        }
        before.add(m.id);
      }
    };
    walkMods(flow.value.modules, new Set(), false);
    if (flow.value.failure_module) walkMods([flow.value.failure_module], new Set(), false);
    expect(checked).toBeGreaterThan(0);
  });

  it("catches a reference to a later module", () => {
    expect(parseOutputs("results.report.run_id")).toEqual([["results", "report"]]);
  });
});
