// The provisioned files as Grafana reads them: dashboards valid against the panel model, every
// target on the provisioned data source uid, the provider path where compose mounts the
// dashboards, and the SQL conventions (KST from timestamptz, kWh never rescaled).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DASHBOARDS, grafanaFiles } from "../../src/grafana/dashboards/index.ts";
import { UNIT_KWH, type SqlPanel } from "../../src/grafana/model.ts";
import {
  CONTAINER_DASHBOARDS_DIR,
  CONTAINER_PROVISIONING_DIR,
  DASHBOARDS_DIR,
  DATASOURCE_UID,
  GRAFANA_ENV,
  PROVISIONING_DIR,
  READER_ROLE,
} from "../../src/grafana/provisioning.ts";
import { DashboardSchema } from "../../src/grafana/schema.ts";
import { referencedVariables } from "../../src/grafana/template.ts";
import { ROOT } from "../helpers/engine.ts";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const dashboardFiles = readdirSync(join(ROOT, DASHBOARDS_DIR)).filter((f) => f.endsWith(".json"));
const sqlPanels = (d: (typeof DASHBOARDS)[number]) => d.panels.filter((p): p is SqlPanel => p.type !== "row");
const allTargets = DASHBOARDS.flatMap((d) => sqlPanels(d).flatMap((p) => p.targets.map((t) => ({ d, p, t }))));

describe("generated Grafana files", () => {
  it("are up to date with src/grafana (npm run wmill:gen)", () => {
    for (const [path, content] of grafanaFiles()) expect(existsSync(join(ROOT, path)) ? read(path) : "(missing)", path).toBe(content);
    expect(dashboardFiles.sort()).toEqual(DASHBOARDS.map((d) => `${d.file}.json`).sort());
  });

  it.each(dashboardFiles)("%s is a valid dashboard for Grafana's panel model", (file) => {
    const json = JSON.parse(read(`${DASHBOARDS_DIR}/${file}`));
    const r = DashboardSchema.safeParse(json);
    expect(r.success ? "ok" : JSON.stringify(r.error.issues, null, 1)).toBe("ok");
  });

  it("the schema rejects what Grafana would silently ignore or misread", () => {
    const base = JSON.parse(read(`${DASHBOARDS_DIR}/pv_overview.json`));
    const valid = (mutate: (d: any) => void) => {
      const d = structuredClone(base);
      mutate(d);
      return DashboardSchema.safeParse(d).success;
    };
    expect(valid(() => {})).toBe(true);
    expect(valid((d) => (d.panels[1].fieldConfig.defaults.unitScale = false))).toBe(false); // not a field option
    expect(valid((d) => (d.panels[1].targets[0].datasource.uid = "other"))).toBe(false);
    expect(valid((d) => (d.panels[0].options.layers[0].location.mode = "auto"))).toBe(false);
    expect(valid((d) => d.panels[1].fieldConfig.overrides.push({ matcher: { id: "byName", options: "x" }, properties: [{ id: "custom.lineStyel", value: {} }] }))).toBe(false);
    expect(valid((d) => (d.panels[1].gridPos.x = 20))).toBe(false); // w 12 from x 20 leaves the grid
    expect(valid((d) => (d.panels[2].id = d.panels[1].id))).toBe(false);
  });

  it("dashboard uids are unique and stable", () => {
    expect(DASHBOARDS.map((d) => d.uid)).toEqual(["pv-overview", "pv-weather", "pv-data-health"]);
  });
});

describe("provisioning", () => {
  const ds = parse(read(`${PROVISIONING_DIR}/datasources/pv-postgres.yaml`));
  const prov = parse(read(`${PROVISIONING_DIR}/dashboards/pvpipe.yaml`));

  it("the data source: fixed uid, read-only role, secrets from the environment, timescaledb off", () => {
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toHaveLength(1);
    const d = ds.datasources[0];
    expect(d).toMatchObject({ uid: DATASOURCE_UID, type: "grafana-postgresql-datasource", user: READER_ROLE });
    expect(d.secureJsonData.password).toBe("$__env{PV_GRAFANA_PASSWORD}");
    expect(d.jsonData).toMatchObject({ database: "$__env{PV_DB_NAME}", sslmode: "$__env{PV_SSLMODE}", timescaledb: false, postgresVersion: 1400 });
    // No literal password anywhere in the provisioning tree.
    expect(JSON.stringify(ds)).not.toMatch(/password"\s*:\s*"(?!\$__env)/);
  });

  it("every $__env{…} the provisioning uses is a documented variable", () => {
    const used = [...read(`${PROVISIONING_DIR}/datasources/pv-postgres.yaml`).matchAll(/\$__env\{(\w+)\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const v of used) expect(Object.keys(GRAFANA_ENV)).toContain(v);
  });

  it("every panel target and variable uses the provisioned data source uid", () => {
    const uid = ds.datasources[0].uid;
    for (const file of dashboardFiles) {
      const json = JSON.parse(read(`${DASHBOARDS_DIR}/${file}`));
      for (const p of json.panels) {
        if (p.type === "row") continue;
        expect(p.datasource.uid, `${file} ${p.title}`).toBe(uid);
        for (const t of p.targets) expect(t.datasource.uid, `${file} ${p.title} ${t.refId}`).toBe(uid);
      }
      for (const v of json.templating.list) expect(v.datasource.uid).toBe(uid);
    }
  });

  it("the dashboard provider loads the mounted dashboards folder, folders from the file structure", () => {
    expect(prov.providers).toHaveLength(1);
    expect(prov.providers[0]).toMatchObject({ type: "file", options: { path: CONTAINER_DASHBOARDS_DIR, foldersFromFilesStructure: true } });
  });

  const compose = ["docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"].find((f) => existsSync(join(ROOT, f)));
  it.skipIf(!compose)("docker compose mounts grafana/provisioning and grafana/dashboards where the provisioning expects them", () => {
    const doc = parse(read(compose!));
    const services = Object.entries(doc.services ?? {}) as [string, Record<string, unknown>][];
    const grafana = services.find(([, s]) => typeof s.image === "string" && /(^|\/)grafana(-oss|-enterprise)?(:|$)/.test(s.image));
    expect(grafana, "a service running the grafana image").toBeDefined();
    const [, svc] = grafana!;
    const mounts = ((svc.volumes as unknown[]) ?? []).map((v) => {
      if (typeof v === "string") {
        const [source, target] = v.split(":");
        return { source, target };
      }
      const o = v as { source?: string; target?: string };
      return { source: o.source ?? "", target: o.target ?? "" };
    });
    const norm = (p: string) => p.replace(/^\.\//, "").replace(/\/$/, "");
    const target = (src: string) => mounts.find((m) => norm(m.source) === src)?.target?.replace(/\/$/, "");
    expect(target(PROVISIONING_DIR)).toBe(CONTAINER_PROVISIONING_DIR);
    expect(target(DASHBOARDS_DIR)).toBe(CONTAINER_DASHBOARDS_DIR);
    // The environment the provisioning reads.
    const env = svc.environment;
    const names = Array.isArray(env) ? env.map((e: string) => e.split("=")[0]) : Object.keys((env as Record<string, unknown>) ?? {});
    for (const v of Object.keys(GRAFANA_ENV)) expect(names, `grafana service environment ${v}`).toContain(v);
  });
});

describe("panel SQL conventions", () => {
  it("every variable a query refers to is defined on its dashboard (or is a Grafana global)", () => {
    const globals = new Set(["__interval", "__interval_ms", "__from", "__to", "__timezone"]);
    for (const { d, p, t } of allTargets) {
      const defined = new Set(d.templating.list.map((v) => v.name));
      for (const name of referencedVariables(t.rawSql)) {
        if (name.startsWith("__") && !globals.has(name)) continue; // backend macros ($__timeFilter …)
        expect(defined.has(name) || globals.has(name), `${d.uid} / ${p.title}: $${name}`).toBe(true);
      }
    }
  });

  it("times come from timestamptz columns: no AT TIME ZONE in panels, days via date_trunc in Asia/Seoul, $__timeGroup only with Alias and sub-day steps", () => {
    for (const { d, p, t } of allTargets) {
      const where = `${d.uid} / ${p.title} / ${t.refId}`;
      expect(t.rawSql, where).not.toMatch(/at\s+time\s+zone/i);
      for (const m of t.rawSql.matchAll(/date_trunc\(([^)]*)\)/gi)) expect(m[1], where).toMatch(/,\s*'Asia\/Seoul'\s*$/);
      expect(t.rawSql, where).not.toMatch(/\$__timeGroup\(/); // the alias form, explicit
      for (const m of t.rawSql.matchAll(/\$__timeGroupAlias\([^,]+,\s*'?(\w+)'?/g)) expect(["1h", "30m", "15m", "10m", "5m", "1m", "$__interval", "__interval"], where).toContain(m[1]);
      expect(t.rawSql, where).not.toMatch(/--|\/\*/); // newer Grafana strips comments; keep queries comment-free
    }
  });

  it("variables in SQL are quoted by an explicit format (independent of how the panel is repeated)", () => {
    for (const { d, p, t } of allTargets) {
      for (const m of t.rawSql.matchAll(/\$\{?(\w+)(:\w+)?\}?/g)) {
        if (m[1].startsWith("__")) continue;
        expect(m[0], `${d.uid} / ${p.title}`).toMatch(/^\$\{\w+:sqlstring\}$/);
      }
    }
  });

  it("energy is in kWh and never rescaled (custom suffix unit, not kwatth)", () => {
    const json = dashboardFiles.map((f) => read(`${DASHBOARDS_DIR}/${f}`)).join("\n");
    expect(json).not.toMatch(/kwatth|unitScale/);
    for (const d of DASHBOARDS) {
      for (const p of sqlPanels(d)) {
        const energy = p.targets.some((t) => /sum\(g\.generation/.test(t.rawSql)) && p.type !== "table";
        if (!energy) continue;
        const units = [p.fieldConfig.defaults.unit, ...p.fieldConfig.overrides.flatMap((o) => o.properties.filter((x) => x.id === "unit").map((x) => x.value))];
        expect(units, `${d.uid} / ${p.title}`).toContain(UNIT_KWH);
      }
    }
  });

  it("filled series are styled apart from measured ones (dashed)", () => {
    for (const d of DASHBOARDS) {
      for (const p of sqlPanels(d)) {
        if (p.type !== "timeseries" || !p.targets.some((t) => /filled/.test(t.rawSql))) continue;
        const dashed = p.fieldConfig.overrides.some((o) => /filled/.test(o.matcher.options as string) && o.properties.some((x) => x.id === "custom.lineStyle"));
        expect(dashed, `${d.uid} / ${p.title}`).toBe(true);
      }
    }
  });
});
