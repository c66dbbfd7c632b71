// Windmill's own published tooling accepts the workspace tree: `wmill lint --fail-on-warn` (npm
// windmill-cli, offline) and windmill-yaml-validator on every flow and schedule. Each check is
// also shown to fail on a deliberately broken copy, so a green run means something.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getValidationTargetFromFilename, WindmillYamlValidator } from "windmill-yaml-validator";
import { parse, stringify } from "yaml";
import { FLOWS } from "../../flows/index.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import { copyWorkspace, NETWORK_MARK, ROOT, walk, wmill } from "./wmill_tools.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const copies: string[] = [];
afterAll(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
});

interface LintReport {
  validatedFiles: number;
  invalidFiles: number;
  warnings: unknown[];
  issues: { path: string; errors: string[] }[];
  success: boolean;
}

function lint(dir: string): { status: number | null; report: LintReport; stderr: string } {
  // --locks-required: every script carries its lock (docs/WINDMILL.md, Pinned dependencies).
  const r = wmill(["lint", "--fail-on-warn", "--locks-required", "--json"], dir);
  return { status: r.status, report: JSON.parse(r.stdout) as LintReport, stderr: r.stderr };
}

const flowFiles = () => walk(join(ROOT, "f")).filter((p) => p.endsWith("__flow/flow.yaml")).map((p) => `f/${p}`);
const scheduleFiles = () => walk(join(ROOT, "f")).filter((p) => p.endsWith(".schedule.yaml")).map((p) => `f/${p}`);

describe("wmill lint", () => {
  it("passes on the tree with --fail-on-warn, offline, and validates every flow and schedule", () => {
    const r = lint(ROOT);
    expect(r.stderr).not.toContain(NETWORK_MARK);
    expect(r.report.issues).toEqual([]);
    expect(r.report.warnings).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.report.validatedFiles).toBe(FLOWS.length + SCHEDULES.length);
    expect(flowFiles()).toHaveLength(FLOWS.length);
  });

  it("fails (exit 1) on a flow without skip_failures, a schedule without timezone and metadata without its script", () => {
    const dir = copyWorkspace();
    copies.push(dir);
    const flow = join(dir, "f/pv/backfill__flow/flow.yaml");
    const doc = parse(readFileSync(flow, "utf8"));
    const loop = doc.value.modules.find((m: { value: { type: string } }) => m.value.type === "forloopflow");
    delete loop.value.skip_failures;
    writeFileSync(flow, stringify(doc));
    const sched = join(dir, "f/pv/daily_nambu.schedule.yaml");
    writeFileSync(sched, readFileSync(sched, "utf8").replace(/^timezone:.*\n/m, ""));
    writeFileSync(join(dir, "f/pv/ghost.script.yaml"), readFileSync(join(ROOT, "f/pv/plan.script.yaml")));
    const r = lint(dir);
    expect(r.status).toBe(1);
    expect(r.report.issues.map((i) => i.path).sort()).toEqual(["f/pv/backfill__flow/flow.yaml", "f/pv/daily_nambu.schedule.yaml", "f/pv/ghost.script.yaml"]);
    const errors = r.report.issues.flatMap((i) => i.errors).join("\n");
    expect(errors).toContain("skip_failures");
    expect(errors).toContain("timezone");
  });

  it("reads flows as <name>__flow only because wmill.yaml says nonDottedPaths: true", () => {
    const dir = copyWorkspace();
    copies.push(dir);
    writeFileSync(join(dir, "wmill.yaml"), readFileSync(join(dir, "wmill.yaml"), "utf8").replace(/^nonDottedPaths: true.*$/m, ""));
    const r = lint(dir);
    // Without the key the CLI expects <name>.flow folders: the flows are not found as flows.
    expect(r.report.validatedFiles).toBe(SCHEDULES.length);
  });
});

describe("windmill-yaml-validator", () => {
  const v = new WindmillYamlValidator();

  it("accepts every flow and schedule file", () => {
    const files = [...flowFiles(), ...scheduleFiles()];
    expect(files.length).toBe(FLOWS.length + SCHEDULES.length);
    for (const f of files) {
      const target = getValidationTargetFromFilename(f);
      expect(target, f).not.toBeNull();
      const { errors } = v.validate(readFileSync(join(ROOT, f), "utf8"), target!);
      expect(errors.map((e) => `${f}${e.instancePath} ${e.message}`)).toEqual([]);
    }
  });

  it("rejects a broken flow and a broken schedule", () => {
    const flow = parse(readFileSync(join(ROOT, "f/pv/backfill__flow/flow.yaml"), "utf8"));
    delete flow.value.modules[0].value.input_transforms;
    expect(v.validate(stringify(flow), { type: "flow" }).errors.length).toBeGreaterThan(0);
    const sched = parse(readFileSync(join(ROOT, scheduleFiles()[0]), "utf8"));
    delete sched.is_flow;
    expect(v.validate(stringify(sched), { type: "schedule" }).errors.length).toBeGreaterThan(0);
  });
});
