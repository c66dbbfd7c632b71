// Every Windmill file `wmill sync push` deploys that is generated from TypeScript: folder metadata,
// script metadata, flows, schedules, resources and resource types. Registered in main.ts.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FLOWS } from "../../flows/index.ts";
import { RESOURCES } from "../../resources/index.ts";
import { RESOURCE_TYPES } from "../../resources/types.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import type { FlowDef } from "../flow/dsl.ts";
import { flowFile, renderFlowYaml, type FlowCompileContext } from "./openflow.ts";
import { renderResources } from "./resources.ts";
import { renderSchedules } from "./schedules.ts";
import { readPackageLock, renderWorkspaceDependencies, workspaceDependencies, WORKSPACE_DEPENDENCIES_FILE } from "./npm_deps.ts";
import { listScriptFiles, renderScriptMetadataFiles } from "./script_metadata.ts";
import { readBunLock, renderScriptLock } from "./script_locks.ts";
import { parseScript } from "./wasm_parser.ts";
import { PV_DB_INIT_FILE, renderPvDbInit } from "./pv_db_init.ts";
import { toYaml } from "./yaml.ts";

const FOLDER_SUMMARIES: Record<string, string> = {
  pv: "Korean PV pipeline: steps, flows, schedules and resources",
  lib: "Shared code the f/pv steps import by relative path (no main)",
};

export function folderMeta(name: string): string {
  return toYaml({ summary: FOLDER_SUMMARIES[name] ?? "", display_name: name, owners: [], extra_perms: {} });
}

export function compileContext(root: string, pending: Map<string, string> = new Map()): FlowCompileContext {
  const cache = new Map<string, string[]>();
  return {
    paramsOf(scriptPath) {
      let names = cache.get(scriptPath);
      if (!names) {
        const file = `${scriptPath}.ts`;
        const code = pending.get(file) ?? (existsSync(join(root, file)) ? readFileSync(join(root, file), "utf8") : undefined);
        if (code === undefined) throw new Error(`a flow calls ${scriptPath}, but ${file} does not exist`);
        names = parseScript(code).args.map((a) => a.name);
        cache.set(scriptPath, names);
      }
      return names;
    },
  };
}

export function renderFlows(root: string, flows: FlowDef[] = FLOWS, pending: Map<string, string> = new Map()): Map<string, string> {
  const ctx = compileContext(root, pending);
  return new Map(flows.map((f) => [flowFile(f.id), renderFlowYaml(f, ctx)]));
}

/** File → code of every deployable script; `pending` overrides (generated in this run). */
export function scriptSources(root: string, pending: Map<string, string> = new Map()): Map<string, string> {
  return new Map(listScriptFiles(root, pending.keys()).map((f) => [f, pending.get(f) ?? readFileSync(join(root, f), "utf8")]));
}

/** Path → content of the generated Windmill files. `pending`: other generated files of this run. */
export function windmillFiles(root: string, pending: Map<string, string> = new Map()): Map<string, string> {
  const files = new Map<string, string>();
  const folders = [...new Set(listScriptFiles(root, pending.keys()).map((f) => f.split("/")[1]))];
  if (!folders.includes("pv")) folders.push("pv");
  for (const name of folders.sort()) files.set(`f/${name}/folder.meta.yaml`, folderMeta(name));
  // Pinned npm dependencies: the workspace dependencies every dependency job installs, and the
  // lock the server stores for each script (npm_deps.ts, script_locks.ts).
  const packageLock = readPackageLock(root);
  const deps = workspaceDependencies(scriptSources(root, pending).values(), packageLock);
  const packageJson = renderWorkspaceDependencies(deps);
  files.set(WORKSPACE_DEPENDENCIES_FILE, packageJson);
  const lock = renderScriptLock(packageJson, readBunLock(root, deps, packageLock));
  for (const [p, c] of renderScriptMetadataFiles(root, pending, lock)) files.set(p, c);
  for (const [p, c] of renderFlows(root, FLOWS, pending)) files.set(p, c);
  for (const [p, c] of renderSchedules(SCHEDULES, FLOWS)) files.set(p, c);
  for (const [p, c] of renderResources(RESOURCES, RESOURCE_TYPES)) files.set(p, c);
  // The compose stack's PV PostgreSQL, migrated on its first start.
  files.set(PV_DB_INIT_FILE, renderPvDbInit(root));
  return files;
}

/** Whether a path is of a kind these generators own (so a leftover one is stale). */
export function isGeneratedWindmillPath(p: string): boolean {
  if (!p.includes("/")) return p.endsWith(".resource-type.yaml");
  if (p === WORKSPACE_DEPENDENCIES_FILE) return true;
  return (
    p.startsWith("f/") &&
    (p.endsWith("/folder.meta.yaml") ||
      p.endsWith(".script.yaml") ||
      p.endsWith(".script.lock") ||
      p.endsWith(".schedule.yaml") ||
      p.endsWith(".resource.yaml") ||
      /__flow\/flow\.yaml$/.test(p))
  );
}

/** Generated-kind files on disk that the generators no longer produce (a removed flow, a renamed step). */
export function orphanedFiles(root: string, files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const name of readdirSync(root)) if (isGeneratedWindmillPath(name)) found.push(name);
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const p = `${rel}/${name}`;
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else if (isGeneratedWindmillPath(p)) found.push(p);
    }
  };
  if (existsSync(join(root, "f"))) walk("f");
  return found.filter((p) => !files.has(p)).sort();
}
