// `npm run wmill:lock`: let Bun (the image's version, npm `bun`) lock dependencies/package.json
// and commit its bun.lock as deploy/windmill/bun.lock, from which `npm run wmill:gen` writes every
// script's lock. Needs the npm registry; run it after changing an f/ import or package-lock.json.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./main.ts";
import { bunInstall } from "./bun_install.ts";
import { readPackageLock, renderWorkspaceDependencies, workspaceDependencies } from "./npm_deps.ts";
import { bunLockProblems, BUN_LOCK_FILE } from "./script_locks.ts";
import { scriptSources } from "./windmill.ts";

const lock = readPackageLock(ROOT);
const deps = workspaceDependencies(scriptSources(ROOT).values(), lock);
const dir = mkdtempSync(join(tmpdir(), "pvpipe-wmill-lock-"));
try {
  writeFileSync(join(dir, "package.json"), renderWorkspaceDependencies(deps));
  bunInstall(ROOT, dir);
  const problems = bunLockProblems(readFileSync(join(dir, "bun.lock"), "utf8"), deps, lock);
  if (problems.length) throw new Error(`Bun locked other versions than package-lock.json: ${problems.join("; ")}`);
  copyFileSync(join(dir, "bun.lock"), join(ROOT, BUN_LOCK_FILE));
  console.log(`wrote ${BUN_LOCK_FILE}; run npm run wmill:gen`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
