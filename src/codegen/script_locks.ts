// Every script's lock, as the Windmill server stores it for a Bun script: the package.json its
// dependency job installed, the line `//bun.lock`, then the text bun.lock that `bun install
// --save-text-lockfile` wrote (bun_executor.rs: gen_bun_lockfile / split_lockfile). With workspace
// dependencies (npm_deps.ts) that package.json is `dependencies/package.json` for every script, so
// all scripts carry the same lock. Deploying it with the script means the server stores it as is
// and runs no dependency job (windmill-api-scripts scripts.rs: a non-empty lock → no lock
// generation), and `wmill sync push` finds the remote lock equal to the local one.
//
// The bun.lock text comes from Bun itself (`npm run wmill:lock`, network) and is committed as
// BUN_LOCK_FILE; `npm run wmill:check` verifies offline that it locks exactly the workspace
// dependencies, and only versions package-lock.json has.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DependencyPinError, type PackageLock, type WorkspaceDependencies } from "./npm_deps.ts";

export const BUN_LOCK_FILE = "deploy/windmill/bun.lock";
/** The separator Windmill puts between package.json and bun.lock in a stored lock. */
export const BUN_LOCK_SPLIT = "\n//bun.lock\n";

export const lockFileOf = (scriptPath: string) => `${scriptPath}.script.lock`;

export function renderScriptLock(packageJson: string, bunLock: string): string {
  return `${packageJson}${BUN_LOCK_SPLIT}${bunLock}`;
}

interface BunLock {
  lockfileVersion: number;
  workspaces: Record<string, { dependencies?: Record<string, string> }>;
  overrides?: Record<string, string>;
  packages: Record<string, [string, ...unknown[]]>;
}

/** bun.lock is JSON with trailing commas. */
export function parseBunLock(text: string): BunLock {
  try {
    return JSON.parse(text.replace(/,(\s*[}\]])/g, "$1")) as BunLock;
  } catch (e) {
    throw new DependencyPinError(`${BUN_LOCK_FILE} is not a Bun text lockfile`, { cause: e });
  }
}

/** "@slack/web-api@8.2.0" → ["@slack/web-api", "8.2.0"] */
function splitSpec(spec: string): [string, string] {
  const at = spec.lastIndexOf("@");
  return [spec.slice(0, at), spec.slice(at + 1)];
}

/** Problems of a committed bun.lock against the workspace dependencies and package-lock.json (empty = fine). */
export function bunLockProblems(text: string, deps: WorkspaceDependencies, lock: PackageLock): string[] {
  const b = parseBunLock(text);
  const problems: string[] = [];
  const eq = (a: unknown, c: unknown) => JSON.stringify(a) === JSON.stringify(c);
  if (!eq(b.workspaces[""]?.dependencies ?? {}, deps.dependencies)) problems.push("its dependencies are not those of dependencies/package.json");
  if (!eq(b.overrides ?? {}, deps.overrides)) problems.push("its overrides are not those of dependencies/package.json");
  const npmVersions = new Map<string, Set<string>>();
  for (const [key, p] of Object.entries(lock.packages)) {
    const i = key.lastIndexOf("node_modules/");
    if (i < 0 || !p.version) continue;
    const name = key.slice(i + "node_modules/".length);
    npmVersions.set(name, (npmVersions.get(name) ?? new Set()).add(p.version));
  }
  for (const [key, entry] of Object.entries(b.packages)) {
    const [name, version] = splitSpec(entry[0]);
    if (!npmVersions.get(name)?.has(version)) problems.push(`${key} is ${name}@${version}, a version package-lock.json does not have`);
  }
  return problems;
}

/** The committed bun.lock, checked; a missing or stale one says how to refresh it. */
export function readBunLock(root: string, deps: WorkspaceDependencies, lock: PackageLock): string {
  const file = join(root, BUN_LOCK_FILE);
  if (!existsSync(file)) throw new DependencyPinError(`${BUN_LOCK_FILE} is missing: run npm run wmill:lock`);
  const text = readFileSync(file, "utf8");
  const problems = bunLockProblems(text, deps, lock);
  if (problems.length) throw new DependencyPinError(`${BUN_LOCK_FILE} is stale (run npm run wmill:lock): ${problems.join("; ")}`);
  return text;
}
