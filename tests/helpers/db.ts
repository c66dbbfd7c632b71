// A fresh, migrated database per test file (or per call), dropped afterwards.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
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

/** This test file's own migrated database: created before its tests, dropped after them. */
export function fileTestDb(): TestDb {
  let current: TestDb | undefined;
  beforeAll(async () => {
    current = await createTestDb();
  });
  afterAll(async () => {
    await current?.drop();
  });
  const get = (): TestDb => {
    if (!current) throw new Error("the file's test database exists from beforeAll on");
    return current;
  };
  return {
    get resource() {
      return get().resource;
    },
    get sql() {
      return get().sql;
    },
    drop: () => get().drop(),
  };
}
