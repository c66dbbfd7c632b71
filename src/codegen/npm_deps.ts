// The npm dependencies Windmill installs for the steps, pinned to package-lock.json.
//
// Windmill's Bun dependency job (backend/windmill-worker/src/bun_executor.rs, gen_bun_lockfile)
// builds a script's package.json from its bundled imports, and an import without a version
// becomes "latest" (loader_builder.bun.js). When the workspace has default *workspace
// dependencies* for Bun (`dependencies/package.json`, synced by `wmill sync push`;
// windmill-common workspace_dependencies.rs, "Implicit"), every Bun dependency job uses that file
// as the package.json instead — the first deploy, and the re-locks the server runs for importers
// of a changed script. So this file pins every package the f/ tree imports to its package-lock
// version, and `overrides` pins the transitive packages too where the tree has one version of them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rawImports } from "./wasm_parser.ts";

export const WORKSPACE_DEPENDENCIES_FILE = "dependencies/package.json";

interface LockPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
export interface PackageLock {
  packages: Record<string, LockPackage>;
}

export class DependencyPinError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DependencyPinError";
  }
}

export const readPackageLock = (root: string): PackageLock => JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as PackageLock;

/** "dayjs/plugin/utc.js" → "dayjs", "@slack/web-api" → "@slack/web-api"; relative and node: imports → null. */
export function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:") || specifier === "bun") return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every npm package imported by the given sources (path → code), sorted. */
export function importedPackages(sources: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const code of sources) for (const s of rawImports(code)) {
    const n = packageNameOf(s);
    if (n) names.add(n);
  }
  return [...names].sort();
}

/** The package-lock key a `require(name)` from `from` resolves to (node_modules lookup upwards). */
function resolveIn(lock: PackageLock, name: string, from: string): string | null {
  let dir = from;
  for (;;) {
    const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return null;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i < 0 ? "" : dir.slice(0, i);
  }
}

/** name → versions of every package the roots need at run time (dependencies, optional and non-optional peers). */
export function runtimeClosure(lock: PackageLock, roots: string[]): Map<string, Set<string>> {
  const seen = new Set<string>();
  const versions = new Map<string, Set<string>>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const p = lock.packages[key];
    const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    if (!p.version) throw new DependencyPinError(`package-lock.json: ${key} has no version`);
    versions.set(name, (versions.get(name) ?? new Set()).add(p.version));
    const peers = Object.keys(p.peerDependencies ?? {}).filter((d) => !p.peerDependenciesMeta?.[d]?.optional);
    for (const dep of [...Object.keys(p.dependencies ?? {}), ...Object.keys(p.optionalDependencies ?? {}), ...peers]) {
      const k = resolveIn(lock, dep, key);
      if (k) visit(k);
      else if (!(dep in (p.optionalDependencies ?? {}))) throw new DependencyPinError(`package-lock.json: ${dep} (needed by ${key}) is not installed`);
    }
  };
  for (const r of roots) {
    if (!lock.packages[`node_modules/${r}`]) throw new DependencyPinError(`f/ imports ${r}, which is not in package-lock.json: add it to package.json dependencies`);
    visit(`node_modules/${r}`);
  }
  return versions;
}

export interface WorkspaceDependencies {
  dependencies: Record<string, string>;
  overrides: Record<string, string>;
}

/** `dependencies/package.json`: the f/ tree's imports at their package-lock versions, transitive singletons as overrides. */
export function workspaceDependencies(sources: Iterable<string>, lock: PackageLock): WorkspaceDependencies {
  const roots = importedPackages(sources);
  const closure = runtimeClosure(lock, roots);
  const dependencies = Object.fromEntries(roots.map((r) => [r, lock.packages[`node_modules/${r}`].version!]));
  const overrides = Object.fromEntries(
    [...closure]
      .filter(([name, v]) => !roots.includes(name) && v.size === 1)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, v]) => [name, [...v][0]]),
  );
  return { dependencies, overrides };
}

export const renderWorkspaceDependencies = (w: WorkspaceDependencies): string => `${JSON.stringify(w, null, 2)}\n`;
