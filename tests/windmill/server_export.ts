// What a Windmill server holding exactly what `wmill sync push` sent would export, in the layout of
// backend/windmill-api/src/workspaces_export.rs (tarball_workspace): every object as JSON with the
// server's own keys removed (workspace_id, path, created_by, edited_at…, extra_perms except on
// folders) and the fields the server adds filled in:
// - script: `<path>.ts` (Bun with default_ts=bun) and `<path>.script.json` {summary, description,
//   schema, lock, kind, no_main_func: true for a file without main}; the lock is what was pushed,
//   since a non-empty lock is stored as is (windmill-api-scripts scripts.rs);
// - flow: `<path>.flow.json` {summary, description, value, schema} (flow value stored raw);
// - schedule: Schedule of windmill-types schedule.rs: `email` (the pusher's) and
//   `ws_error_handler_muted` are always there;
// - resource: {value, description, resource_type}; resource type: {schema, description,
//   format_extension, is_fileset} (resources.rs ResourceType);
// - folder: {display_name, owners, extra_perms, summary}; workspace dependencies: the file as is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseScript } from "../../src/codegen/wasm_parser.ts";
import { walk } from "./wmill_tools.ts";

const PUSHER_EMAIL = "admin@windmill.dev";

/** Path → content of the export of the workspace `dir` would leave on a server after a push. */
export function exportAfterPush(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = (p: string) => readFileSync(join(dir, p), "utf8");
  const yaml = (p: string) => parse(text(p)) as Record<string, unknown>;
  const put = (p: string, o: unknown) => out.set(p, JSON.stringify(o, null, 2));
  for (const p of walk(dir).sort()) {
    if (p.endsWith(".resource-type.yaml") && !p.includes("/")) {
      const t = yaml(p);
      put(p.replace(/\.yaml$/, ".json"), { schema: t.schema ?? null, description: t.description ?? null, format_extension: t.format_extension ?? null, is_fileset: t.is_fileset ?? false });
    } else if (p === "dependencies/package.json") {
      out.set(p, text(p));
    } else if (!p.startsWith("f/")) {
      continue;
    } else if (p.endsWith("/folder.meta.yaml")) {
      put(p.replace(/\.yaml$/, ".json"), yaml(p));
    } else if (p.endsWith(".script.yaml")) {
      const m = yaml(p);
      const base = p.replace(/\.script\.yaml$/, "");
      const code = text(`${base}.ts`);
      const lock = typeof m.lock === "string" && m.lock.startsWith("!inline ") ? text(m.lock.slice("!inline ".length)) : m.lock;
      const noMain = parseScript(code).auto_kind === "lib";
      out.set(`${base}.ts`, code);
      put(`${base}.script.json`, { summary: m.summary, description: m.description, schema: m.schema, lock, kind: m.kind, ...(noMain ? { no_main_func: true } : {}) });
    } else if (p.endsWith("__flow/flow.yaml")) {
      const f = yaml(p);
      put(p.replace(/__flow\/flow\.yaml$/, ".flow.json"), { summary: f.summary, description: f.description ?? "", value: f.value, schema: f.schema });
    } else if (p.endsWith(".schedule.yaml")) {
      const s = yaml(p);
      put(p.replace(/\.yaml$/, ".json"), { ...s, email: PUSHER_EMAIL, ws_error_handler_muted: s.ws_error_handler_muted ?? false });
    } else if (p.endsWith(".resource.yaml")) {
      const r = yaml(p);
      put(p.replace(/\.yaml$/, ".json"), { value: r.value, description: r.description ?? null, resource_type: r.resource_type });
    }
  }
  return out;
}
