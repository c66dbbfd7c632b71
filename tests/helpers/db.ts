// A fresh, migrated database per test file (or per call), dropped afterwards.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { connect, type PgResource, type Pool } from "../../f/lib/db/resource.ts";
import { ensureReady } from "../../f/lib/db/setup.ts";

export interface TestDb {
  resource: PgResource;
  sql: Pool;
  drop(): Promise<void>;
}

export async function createTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const admin = inject("pgAdmin");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const a = postgres({ host: admin.host, port: admin.port, user: admin.user, password: admin.password, database: admin.dbname, onnotice: () => {} });
  await a.unsafe(`create database ${name}`);
  await a.end();
  const resource: PgResource = { ...admin, dbname: name };
  const sql = connect(resource, { max: 4 });
  if (opts.migrate !== false) await ensureReady(sql);
  return {
    resource,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const b = postgres({ host: admin.host, port: admin.port, user: admin.user, password: admin.password, database: admin.dbname, onnotice: () => {} });
      await b.unsafe(`drop database if exists ${name} with (force)`);
      await b.end();
    },
  };
}
