// migrations/*.sql → deploy/pv_db/initdb/10_pvpipe_migrations.sql: what the PV PostgreSQL of the
// compose stack runs on its first start (docker-entrypoint-initdb.d). It applies every migration in
// order, in one transaction, and records each in ops.schema_migrations exactly as
// f/lib/db/migrate.ts does, so the steps' ensureReady finds them applied. The migrations folder is
// mounted at MIGRATIONS_MOUNT (docker-compose.yml). It runs as the engine's role, which
// 05_roles.sh made the owner of the database, so the engine owns its schemas and tables.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const PV_DB_INIT_FILE = "deploy/pv_db/initdb/10_pvpipe_migrations.sql";
export const MIGRATIONS_MOUNT = "/pvpipe/migrations";
/** The engine's role (docker-compose.yml PV_DB_USER, resources/index.ts f/pv/db): it owns what the migrations create. */
export const PV_DB_ENGINE_ROLE = "pvpipe";

export function migrationFiles(root: string): string[] {
  return readdirSync(join(root, "migrations")).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

export function renderPvDbInit(root: string): string {
  const lines = [
    "-- Generated from migrations/*.sql by `npm run wmill:gen`. Do not edit.",
    "-- First start of the compose stack's pv_db: apply the migrations and record them like",
    "-- f/lib/db/migrate.ts (ops.schema_migrations), in one transaction.",
    "\\set ON_ERROR_STOP on",
    "begin;",
    `set role ${PV_DB_ENGINE_ROLE}; -- everything created below belongs to the engine's role (05_roles.sh)`,
    "create schema if not exists ops;",
    "create table if not exists ops.schema_migrations (id text primary key, applied_at timestamptz not null default now());",
  ];
  for (const f of migrationFiles(root)) {
    const id = f.replace(/\.sql$/, "");
    lines.push(`\\i ${MIGRATIONS_MOUNT}/${f}`, `insert into ops.schema_migrations (id) values ('${id}') on conflict (id) do nothing;`);
  }
  lines.push("commit;", "");
  return lines.join("\n");
}
