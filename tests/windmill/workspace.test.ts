// The Windmill workspace tree: generated files are up to date (`npm run wmill:gen` would change
// nothing), wmill.yaml says what the CLI must know, schedules fire the crons in Asia/Seoul
// without overlap, resources reference secrets only as $var: variables, and every resource a flow
// reads exists with a resource type Windmill knows.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Cron } from "croner";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { FLOWS } from "../../flows/index.ts";
import { RESOURCES } from "../../resources/index.ts";
import { RESOURCE_TYPES } from "../../resources/types.ts";
import { SCHEDULES } from "../../schedules/index.ts";
import { generatedFiles, staleFiles } from "../../src/codegen/main.ts";
import { renderFlows, orphanedFiles } from "../../src/codegen/windmill.ts";
import { stepsOf, type Module, type Ref } from "../../src/flow/dsl.ts";
import { ROOT, walk } from "./wmill_tools.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const readYaml = (p: string) => parse(readFileSync(join(ROOT, p), "utf8")) as Record<string, unknown>;

describe("generated files", () => {
  it("are up to date: npm run wmill:gen would write nothing and delete nothing", async () => {
    const files = await generatedFiles(ROOT);
    expect(staleFiles(files, ROOT)).toEqual([]);
    expect(orphanedFiles(ROOT, files)).toEqual([]);
    expect([...files.keys()].filter((p) => p.endsWith("flow.yaml")).length).toBe(FLOWS.length);
  });

  it("are deterministic, and a changed flow definition changes its flow.yaml", async () => {
    const a = await generatedFiles(ROOT);
    const b = await generatedFiles(ROOT);
    expect([...b]).toEqual([...a]);
    const def = FLOWS[0];
    const changed = { ...def, modules: [...def.modules].reverse() };
    const [[path, yaml]] = renderFlows(ROOT, [changed]);
    expect(yaml).not.toBe(a.get(path));
  });
});

describe("wmill.yaml", () => {
  const cfg = readYaml("wmill.yaml");
  it("sets nonDottedPaths explicitly, syncs f/** and schedules, and makes .ts files Bun scripts", () => {
    expect(cfg.nonDottedPaths).toBe(true);
    expect(cfg.includes).toEqual(["f/**"]);
    expect(cfg.includeSchedules).toBe(true);
    expect(cfg.defaultTs).toBe("bun");
    expect(cfg.skipSecrets).toBe(true);
    expect(cfg.codebases ?? []).toEqual([]);
  });

  it("has a folder.meta.yaml for every folder with scripts", () => {
    const folders = new Set(walk(join(ROOT, "f")).filter((p) => p.endsWith(".ts")).map((p) => p.split("/")[0]));
    for (const f of folders) expect(readYaml(`f/${f}/folder.meta.yaml`)).toMatchObject({ display_name: f, owners: [], extra_perms: {} });
  });
});

describe("schedules", () => {
  // The schedules, required once their flow exists.
  const EXPECTED: Record<string, string> = { daily_weather: "0 0 9 * * *", daily_nambu: "0 30 9 * * *", monthly_namdong: "0 0 10 10 * *" };

  it("fire the expected crons in Asia/Seoul, without overlapping runs, with the flow's full input", () => {
    for (const [id, cron] of Object.entries(EXPECTED)) {
      if (!FLOWS.some((f) => f.id === id)) continue;
      expect(SCHEDULES.find((s) => s.id === id)?.cron, id).toBe(cron);
    }
    const files = walk(join(ROOT, "f")).filter((p) => p.endsWith(".schedule.yaml"));
    expect(files.length).toBe(SCHEDULES.length);
    for (const s of SCHEDULES) {
      const y = readYaml(`f/pv/${s.id}.schedule.yaml`);
      const flow = FLOWS.find((f) => f.id === s.flow)!;
      expect(y).toMatchObject({ schedule: s.cron, timezone: "Asia/Seoul", script_path: `f/pv/${s.flow}`, is_flow: true, enabled: true, no_flow_overlap: true });
      expect(String(y.schedule).split(" ")).toHaveLength(6);
      // Every input field, as validated by the flow (Windmill passes the args as they are).
      expect(y.args).toEqual(flow.input.parse(s.args));
      expect(Object.keys(y.args as object).sort()).toEqual(Object.keys(flow.input.shape).sort());
      // croner (the local engine's parser, cron_version v2 in Windmill) reads it; next run in KST.
      const next = new Cron(s.cron, { timezone: "Asia/Seoul" }).nextRun(new Date("2026-01-01T00:00:00Z"));
      expect(next, s.id).not.toBeNull();
    }
  });

  it("09:30 KST is 00:30 UTC for daily_nambu", () => {
    const s = SCHEDULES.find((x) => x.id === "daily_nambu");
    if (!s) return;
    expect(new Cron(s.cron, { timezone: "Asia/Seoul" }).nextRun(new Date("2026-03-01T00:00:00Z"))?.toISOString()).toBe("2026-03-01T00:30:00.000Z");
  });
});

describe("resources", () => {
  const usedByFlows = new Set<string>();
  const addRefs = (refs: Ref[]) => refs.forEach((r) => r.kind === "resource" && usedByFlows.add(r.name));
  for (const f of FLOWS) {
    for (const { step } of stepsOf(f.modules as Module[])) addRefs(Object.values(step.args));
    if (f.onFailure) addRefs(Object.values(f.onFailure.args));
  }

  it("every resource a flow reads exists, with a resource type that is built in or defined at the root", () => {
    const types = readdirSync(ROOT).filter((n) => n.endsWith(".resource-type.yaml")).map((n) => n.replace(/\.resource-type\.yaml$/, ""));
    expect(types.sort()).toEqual(RESOURCE_TYPES.map((t) => t.name).sort());
    for (const name of usedByFlows) {
      const y = readYaml(`f/pv/${name}.resource.yaml`);
      expect(["postgresql", ...types], name).toContain(y.resource_type);
    }
    expect(RESOURCES.map((r) => r.name).sort()).toEqual([...usedByFlows].sort());
  });

  it("secret fields are $var: references to variables, never values", () => {
    const secretFields = (type: string): string[] =>
      type === "postgresql" ? ["password"] : Object.entries(RESOURCE_TYPES.find((t) => t.name === type)?.fields ?? {}).filter(([, f]) => f.password).map(([k]) => k);
    for (const file of walk(join(ROOT, "f")).filter((p) => p.endsWith(".resource.yaml"))) {
      const y = readYaml(`f/${file}`) as { resource_type: string; value: Record<string, unknown> };
      for (const k of secretFields(y.resource_type)) expect(String(y.value[k]), `${file} ${k}`).toMatch(/^\$var:f\/pv\/[a-z0-9_]+$/);
    }
    // No variable files (values) are committed at all.
    expect(walk(join(ROOT, "f")).filter((p) => p.includes(".variable."))).toEqual([]);
  });

  it("no committed Windmill file holds something that looks like a secret", () => {
    const files = [...walk(join(ROOT, "f")).filter((p) => p.endsWith(".yaml")).map((p) => `f/${p}`), ...readdirSync(ROOT).filter((n) => n.endsWith(".yaml"))];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), "utf8");
      expect(text, f).not.toMatch(/xox[bpa]-[0-9A-Za-z-]{10,}|hooks\.slack\.com\/services\/T|postgres(ql)?:\/\/[^:\s]+:[^@\s$]+@/);
    }
  });
});
