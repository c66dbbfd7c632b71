// `wmill sync push` is idempotent. The real CLI (npm windmill-cli) runs `sync push --dry-run`
// against a stub of the Windmill API on 127.0.0.1 (wmill_api_stub.ts), twice: against an empty
// workspace it would add exactly the tree — folders, resource types, resources, scripts with their
// locks, flows, schedules and the workspace dependencies — and against the workspace a push leaves
// behind (server_export.ts: what the server stores and exports for what was pushed) it has nothing
// to do. A remote lock other than the committed one (a server-resolved "latest") is a change.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importClosure } from "../../src/codegen/import_closure.ts";
import { renderScriptMetadataFiles } from "../../src/codegen/script_metadata.ts";
import { scriptSources } from "../../src/codegen/windmill.ts";
import { exportAfterPush } from "./server_export.ts";
import { startWmillApiStub, type WmillApiStub } from "./wmill_api_stub.ts";
import { copyWorkspace, NETWORK_MARK, walk, wmillAsync } from "./wmill_tools.ts";

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const WORKSPACE = "pv";
const TOKEN = "stub-token-not-a-secret";

interface DryRun {
  success: boolean;
  changes: { type: "added" | "edited" | "deleted"; path: string }[];
  total: number;
}

let dir: string;
beforeAll(() => {
  dir = copyWorkspace();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function dryRun(exportFiles: Map<string, string>): Promise<{ result: DryRun; stub: WmillApiStub; stderr: string }> {
  const stub = await startWmillApiStub(WORKSPACE, exportFiles);
  try {
    const r = await wmillAsync(["sync", "push", "--dry-run", "--json-output", "--base-url", stub.url, "--workspace", WORKSPACE, "--token", TOKEN], dir);
    expect(r.stderr).not.toContain(NETWORK_MARK);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const json = r.stdout.slice(r.stdout.indexOf("{"), r.stdout.lastIndexOf("}") + 1);
    return { result: JSON.parse(json) as DryRun, stub, stderr: r.stderr };
  } finally {
    await stub.close();
  }
}

/** Every file push deploys, found independently of the generators: kind → paths. */
function expectedTree(): Record<string, string[]> {
  const files = walk(dir);
  const scripts = files.filter((p) => p.startsWith("f/") && p.endsWith(".script.yaml")).map((p) => p.replace(/\.script\.yaml$/, ""));
  return {
    folders: files.filter((p) => /^f\/[^/]+\/folder\.meta\.yaml$/.test(p)),
    resourceTypes: files.filter((p) => !p.includes("/") && p.endsWith(".resource-type.yaml")),
    resources: files.filter((p) => p.startsWith("f/") && p.endsWith(".resource.yaml")),
    scripts: scripts.flatMap((s) => [`${s}.ts`, `${s}.script.yaml`, `${s}.script.lock`]),
    flows: files.filter((p) => /^f\/.+__flow\/flow\.yaml$/.test(p)),
    schedules: files.filter((p) => p.startsWith("f/") && p.endsWith(".schedule.yaml")),
    workspaceDependencies: files.filter((p) => p.startsWith("dependencies/")),
  };
}

describe("wmill sync push --dry-run against a stub of the Windmill API", () => {
  it("into an empty workspace: adds exactly the tree, and only reads from the server", async () => {
    const { result, stub } = await dryRun(new Map());
    const tree = expectedTree();
    expect(tree.folders).toHaveLength(2);
    expect(tree.resourceTypes).toHaveLength(3);
    expect(tree.resources).toHaveLength(5);
    expect(tree.flows).toHaveLength(5);
    expect(tree.schedules).toHaveLength(3);
    expect(tree.workspaceDependencies).toEqual(["dependencies/package.json"]);
    expect(tree.scripts.length).toBeGreaterThanOrEqual(3 * 90);
    expect(new Set(result.changes.map((c) => c.type))).toEqual(new Set(["added"]));
    expect(result.changes.map((c) => c.path).sort()).toEqual(Object.values(tree).flat().sort());
    expect(result.total).toBe(result.changes.length);
    expect(stub.requests.length).toBeGreaterThan(0);
    expect(stub.requests.filter((q) => q.method !== "GET")).toEqual([]);
    const tarball = stub.requests.filter((q) => q.path === `/api/w/${WORKSPACE}/workspaces/tarball`);
    expect(tarball).toHaveLength(1);
    expect(new Set(stub.requests.filter((q) => q.path.startsWith(`/api/w/`)).map((q) => q.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it("into the workspace the push leaves: zero changes", async () => {
    const exported = exportAfterPush(dir);
    expect([...exported.keys()].filter((p) => p.endsWith(".script.json")).length).toBeGreaterThanOrEqual(90);
    const { result } = await dryRun(exported);
    expect(result.changes).toEqual([]);
    expect(result.total).toBe(0);
  });

  it("a remote lock resolved by the server from \"latest\", or missing, is a change", async () => {
    const exported = exportAfterPush(dir);
    const meta = JSON.parse(exported.get("f/pv/report.script.json")!) as { lock: string };
    const floating = meta.lock.replace(/"postgres": "[^"]+"/, '"postgres": "latest"');
    expect(floating).not.toBe(meta.lock);
    exported.set("f/pv/report.script.json", JSON.stringify({ ...meta, lock: floating }));
    const plan = JSON.parse(exported.get("f/pv/plan.script.json")!) as Record<string, unknown>;
    exported.set("f/pv/plan.script.json", JSON.stringify({ ...plan, lock: null }));
    const { result } = await dryRun(exported);
    expect(result.changes.map((c) => `${c.type} ${c.path}`).sort()).toEqual(["added f/pv/plan.script.lock", "edited f/pv/plan.script.yaml", "edited f/pv/report.script.lock"]);
  });

  it("a local edit of one script is exactly one change", async () => {
    const exported = exportAfterPush(dir);
    writeFileSync(join(dir, "f/pv/report.ts"), `${exported.get("f/pv/report.ts")}\n// edited\n`);
    try {
      const { result } = await dryRun(exported);
      expect(result.changes.map((c) => `${c.type} ${c.path}`)).toEqual(["edited f/pv/report.ts"]);
    } finally {
      writeFileSync(join(dir, "f/pv/report.ts"), exported.get("f/pv/report.ts")!);
    }
  });

  it("an edit to an f/lib file two imports away redeploys every script that reaches it", async () => {
    const exported = exportAfterPush(dir);
    const target = "f/lib/time/kst.ts";
    const original = readFileSync(join(dir, target), "utf8");
    const lock = readFileSync(join(dir, "f/pv/plan.script.lock"), "utf8");
    const regenerate = () => {
      for (const [p, c] of renderScriptMetadataFiles(dir, new Map(), lock)) writeFileSync(join(dir, p), c);
    };
    writeFileSync(join(dir, target), `${original}\n// edited\n`);
    try {
      regenerate();
      const sources = scriptSources(dir);
      const reaching = [...sources.keys()].filter((f) => importClosure(f, sources).includes(target));
      expect(reaching.filter((f) => f.startsWith("f/pv/")).length).toBeGreaterThan(3);
      const { result } = await dryRun(exported);
      const expected = [`edited ${target}`, ...reaching.map((f) => `edited ${f.replace(/\.ts$/, ".script.yaml")}`)].sort();
      expect(result.changes.map((c) => `${c.type} ${c.path}`).sort()).toEqual(expected);
    } finally {
      writeFileSync(join(dir, target), original);
      regenerate();
    }
  });
});
