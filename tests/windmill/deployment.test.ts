// The deployment files, checked without Docker or GitHub: docker-compose.yml (services, pinned
// images, healthchecks, ports, named volumes, every ${VAR} documented in .env.example, mounted paths
// present in the repo, the PV database migrated on first start), and the CI workflow that pushes
// the tree to Windmill.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { migrate } from "../../f/lib/db/migrate.ts";
import { RESOURCES } from "../../resources/index.ts";
import { MIGRATIONS_MOUNT, migrationFiles, PV_DB_ENGINE_ROLE, PV_DB_INIT_FILE } from "../../src/codegen/pv_db_init.ts";
import { CONTAINER_DASHBOARDS_DIR, CONTAINER_PROVISIONING_DIR, DASHBOARDS_DIR, GRAFANA_ENV, PROVISIONING_DIR } from "../../src/grafana/provisioning.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "./wmill_tools.ts";
import { expectEvery } from "../helpers/expect_every.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

interface Service {
  image: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
}

const composeText = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const envExample = readFileSync(join(ROOT, ".env.example"), "utf8");
const documented = new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

/** ${VAR}, ${VAR:-default}, ${VAR:?message} → [name, default?]. */
const refs = [...composeText.replace(/^\s*#.*$/gm, "").matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::?([-?])([^}]*))?\}/g)].map((m) => ({ name: m[1], op: m[2], arg: m[3] }));
const resolveImage = (image: string) => image.replace(/\$\{[A-Z_]+:-([^}]+)\}/, "$1");

describe("docker-compose.yml", () => {
  it("has Windmill server, 3 default workers and its database, the PV database and Grafana", () => {
    expect(Object.keys(services).sort()).toEqual(["grafana", "pv_db", "windmill_db", "windmill_server", "windmill_worker"]);
    expect(services.windmill_server.environment?.MODE).toBe("server");
    expect(services.windmill_worker.environment?.MODE).toBe("worker");
    expect(services.windmill_worker.environment?.WORKER_GROUP).toBe("default");
    expect(services.windmill_worker.deploy?.replicas).toBe(3);
    for (const s of ["windmill_server", "windmill_worker"]) {
      expect(services[s].environment?.DATABASE_URL).toMatch(/^postgres:\/\/postgres:\$\{WM_DB_PASSWORD:\?[^}]*\}@windmill_db:5432\/windmill\?sslmode=disable$/);
    }
  });

  it("pins every image (no latest/main), and Windmill at the version of the windmill-cli dependency", () => {
    for (const [name, s] of Object.entries(services)) {
      const image = resolveImage(s.image);
      expect(image, name).toMatch(/:[0-9]+(\.[0-9]+)+$/);
    }
    const cli = JSON.parse(readFileSync(join(ROOT, "node_modules/windmill-cli/package.json"), "utf8")) as { version: string };
    expect(resolveImage(services.windmill_server.image)).toBe(`ghcr.io/windmill-labs/windmill:${cli.version}`);
    expect(services.windmill_worker.image).toBe(services.windmill_server.image);
  });

  it("has healthchecks, and starts services only once what they need is healthy", () => {
    for (const s of ["windmill_db", "windmill_server", "pv_db", "grafana"]) expect(services[s].healthcheck?.test, s).toBeDefined();
    expect(services.windmill_server.depends_on?.windmill_db.condition).toBe("service_healthy");
    expect(services.windmill_worker.depends_on?.windmill_server.condition).toBe("service_healthy");
    expect(services.windmill_worker.depends_on?.pv_db.condition).toBe("service_healthy");
    expect(services.grafana.depends_on?.pv_db.condition).toBe("service_healthy");
  });

  it("publishes the Windmill UI and Grafana, and the PV database on localhost only", () => {
    expect(services.windmill_server.ports).toEqual(["${WM_PORT:-8000}:8000"]);
    expect(services.grafana.ports).toEqual(["${GRAFANA_PORT:-3000}:3000"]);
    expectEvery(services.pv_db.ports, (p) => p.startsWith("127.0.0.1:"));
    expect(services.windmill_db.ports).toBeUndefined();
  });

  it("uses named volumes for data, all declared, and mounts only paths that exist in the repo", () => {
    const named = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const [src] = v.split(":");
        if (src.startsWith("./")) {
          expect(existsSync(join(ROOT, src)), `${name}: ${src}`).toBe(true);
          expect(statSync(join(ROOT, src)).isDirectory(), `${name}: ${src}`).toBe(true);
        } else named.add(src);
      }
    }
    expect([...named].sort()).toEqual(Object.keys(compose.volumes).sort());
    for (const s of ["windmill_db", "pv_db", "grafana"]) expect(services[s].volumes?.some((v) => !v.startsWith("./") && !v.startsWith("/")), s).toBe(true);
  });

  it("documents every variable it reads in .env.example, requires the passwords, and contains no secret", () => {
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(documented.has(r.name), `${r.name} missing in .env.example`).toBe(true);
    const required = new Set(refs.filter((r) => r.op === "?").map((r) => r.name));
    expect([...required].sort()).toEqual(["GRAFANA_ADMIN_PASSWORD", "PV_DB_ADMIN_PASSWORD", "PV_DB_PASSWORD", "PV_GRAFANA_PASSWORD", "WM_DB_PASSWORD"]);
    for (const s of Object.values(services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) if (/PASSWORD|TOKEN|SECRET/.test(k)) expect(String(v), k).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}$/);
    }
    for (const line of envExample.split("\n")) if (/^[A-Z_]*(PASSWORD|TOKEN|KEY)=/.test(line)) expect(line, "no secret value in .env.example").toMatch(/=$/);
  });

  it("provisions Grafana from this project's grafana/ folders, with the environment its data source reads", () => {
    expect(services.grafana.volumes).toContain(`./${PROVISIONING_DIR}:${CONTAINER_PROVISIONING_DIR}:ro`);
    expect(services.grafana.volumes).toContain(`./${DASHBOARDS_DIR}:${CONTAINER_DASHBOARDS_DIR}:ro`);
    for (const k of Object.keys(GRAFANA_ENV)) expect(services.grafana.environment?.[k], k).toBeDefined();
    expect(services.grafana.environment?.PV_DB_HOST).toBe("pv_db:5432");
    expect(services.grafana.environment?.PV_DB_NAME).toBe(services.pv_db.environment?.POSTGRES_DB);
  });

  it("the f/pv/db resource points at the compose PV database", () => {
    const db = RESOURCES.find((r) => r.name === "db")!;
    expect(db.resource_type).toBe("postgresql");
    expect(db.value).toMatchObject({ host: "pv_db", port: 5432, user: services.pv_db.environment?.PV_DB_USER, dbname: services.pv_db.environment?.POSTGRES_DB });
    // The pipeline never logs in as the superuser that runs the first-start scripts.
    expect(services.pv_db.environment?.PV_DB_USER).toBe(PV_DB_ENGINE_ROLE);
    expect(services.pv_db.environment?.POSTGRES_USER).not.toBe(PV_DB_ENGINE_ROLE);
  });

  it("mounts the migrations where the generated init script reads them, and the init folder as docker-entrypoint-initdb.d", () => {
    expect(services.pv_db.volumes).toContain(`./migrations:${MIGRATIONS_MOUNT}:ro`);
    expect(services.pv_db.volumes).toContain("./deploy/pv_db/initdb:/docker-entrypoint-initdb.d:ro");
    expect(existsSync(join(ROOT, PV_DB_INIT_FILE))).toBe(true);
    expect(statSync(join(ROOT, "deploy/pv_db/initdb/20_grafana_reader.sh")).mode & 0o111).not.toBe(0);
    expect(statSync(join(ROOT, "deploy/pv_db/initdb/05_roles.sh")).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(ROOT, "deploy/pv_db/initdb/05_roles.sh"), "utf8")).toMatch(/create role :"role" login nosuperuser nocreatedb nocreaterole/);
  });
});

describe("the PV database's first-start script", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ migrate: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies every migration and records it, so the steps' migrate() has nothing left to do", async () => {
    // What psql does with the file: \i includes a mounted migration; \set is a psql setting.
    const script = readFileSync(join(ROOT, PV_DB_INIT_FILE), "utf8")
      .split("\n")
      .map((l) => (l.startsWith(`\\i ${MIGRATIONS_MOUNT}/`) ? readFileSync(join(ROOT, "migrations", l.slice(`\\i ${MIGRATIONS_MOUNT}/`.length)), "utf8") : l.startsWith("\\set") ? "" : l))
      .join("\n");
    expect(script).not.toMatch(/^\\/m);
    // As 05_roles.sh leaves it: the engine's role exists and owns the database and `public`.
    const [role] = await db.sql`select 1 from pg_roles where rolname = ${PV_DB_ENGINE_ROLE}`;
    if (!role) await db.sql.unsafe(`create role ${PV_DB_ENGINE_ROLE} nologin nosuperuser nocreatedb nocreaterole`);
    await db.sql.unsafe(`alter database ${db.resource.dbname} owner to ${PV_DB_ENGINE_ROLE}; alter schema public owner to ${PV_DB_ENGINE_ROLE}`);
    const conn = await db.sql.reserve();
    try {
      await conn.unsafe(script);
      await conn.unsafe("reset role");
    } finally {
      conn.release();
    }
    // Everything the migrations made belongs to the engine's role.
    const foreign = await db.sql<{ name: string }[]>`
      select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'ops', 'raw', 'stage', 'reporting') and pg_get_userbyid(c.relowner) <> ${PV_DB_ENGINE_ROLE}`;
    expect(foreign).toEqual([]);
    const ids = (await db.sql<{ id: string }[]>`select id from ops.schema_migrations order by id`).map((r) => r.id);
    expect(ids).toEqual(migrationFiles(ROOT).map((f) => f.replace(/\.sql$/, "")));
    expect(await migrate(db.sql)).toEqual([]);
  });
});

describe(".github/workflows/windmill-sync.yml", () => {
  const text = readFileSync(join(ROOT, ".github/workflows/windmill-sync.yml"), "utf8");
  const wf = parse(text) as { on: { push: { branches: string[] } }; jobs: Record<string, { if?: string; steps: { run?: string; uses?: string }[] }> };
  const job = Object.values(wf.jobs)[0];
  const runs = job.steps.map((s) => s.run ?? s.uses ?? "");

  it("runs on push to main: npm ci, npm test, then wmill sync push without variables, secrets and resources", () => {
    expect(wf.on.push.branches).toEqual(["main"]);
    const ci = runs.indexOf("npm ci");
    const test = runs.indexOf("npm test");
    const push = runs.findIndex((r) => r.includes("wmill sync push"));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(ci);
    expect(push).toBeGreaterThan(test);
    const cmd = runs[push].replace(/\s+/g, " ");
    expect(cmd).toContain("wmill sync push --yes --skip-variables --skip-secrets --skip-resources");
    expect(cmd).toContain("--workspace ${{ vars.WMILL_WORKSPACE }}");
    expect(cmd).toContain("--token ${{ secrets.WMILL_TOKEN }}");
    expect(cmd).toContain("--base-url ${{ vars.WMILL_URL }}");
  });

  it("skips commits made by Windmill git sync", () => {
    expect(job.if).toContain("startsWith(github.event.head_commit.message, '[WM]')");
    expect(job.if).toMatch(/^\$\{\{ !startsWith/);
  });
});
