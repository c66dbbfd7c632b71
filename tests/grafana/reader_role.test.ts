// The read-only role Grafana connects as (migration 0007): SELECT on the serving tables and the
// reporting views; no writes; no raw, stage or ops. Checked both with SET ROLE and by logging in
// as pv_grafana the way Grafana does (its role defaults: read-only transactions, KST).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { becomeReader } from "./harness.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  // A little data so reads return rows.
  await db.sql`insert into nambu_generation (datetime, gencd, hogi, generation) values ('2024-06-01 12:00+09', '9985', 1, 10.5)`;
  await db.sql`insert into ops.runs (run_id, flow, status, inputs) values ('r1', 'backfill', 'success', '{"secret":"x"}')`;
});
afterAll(async () => {
  await db?.drop();
});

/** Run `fn` on one connection acting as pv_grafana (rolled back, so nothing can stick). */
async function asReader<T>(fn: (q: (text: string) => Promise<unknown[]>) => Promise<T>): Promise<T> {
  const c = await db.sql.reserve();
  try {
    await c.unsafe("begin");
    await becomeReader(c as never, { local: true });
    let n = 0;
    return await fn(async (text) => {
      // Each statement in a savepoint, so an expected failure does not end the transaction.
      const sp = `s${n++}`;
      await c.unsafe(`savepoint ${sp}`);
      try {
        const r = await c.unsafe(text);
        await c.unsafe(`release savepoint ${sp}`);
        return [...r];
      } catch (e) {
        await c.unsafe(`rollback to savepoint ${sp}`);
        throw e;
      }
    });
  } finally {
    await c.unsafe("rollback").catch(() => undefined);
    c.release();
  }
}

describe("pv_grafana", () => {
  it("exists, cannot log in until the deployment gives it a password, and defaults to read-only KST sessions", async () => {
    const [r] = await db.sql`
      select r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb,
             (select setconfig from pg_db_role_setting s where s.setrole = r.oid and s.setdatabase = 0) as config
      from pg_roles r where r.rolname = 'pv_grafana'`;
    expect(r).toMatchObject({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    expect(r.config).toEqual(expect.arrayContaining(["default_transaction_read_only=on", "TimeZone=Asia/Seoul"]));
  });

  it("reads the serving tables and every reporting view", async () => {
    await asReader(async (q) => {
      expect(await q("select generation from public.nambu_generation")).toEqual([{ generation: 10.5 }]);
      for (const t of ["public.nambu_plants", "public.namdong_generation", "public.namdong_plants", "public.weather_asos", "public.asos_stations", "public.plant_station", "public.pv_weather_hourly"]) {
        await expect(q(`select * from ${t} limit 1`), t).resolves.toBeDefined();
      }
      const views = (await q("select table_name from information_schema.views where table_schema = 'reporting' order by 1")) as { table_name: string }[];
      expect(views.map((v) => v.table_name)).toEqual(
        expect.arrayContaining(["partition_status", "partition_status_daily", "check_failures", "flow_last_runs", "asset_freshness", "pv_plants", "pv_generation_hourly"]),
      );
      for (const v of views) await expect(q(`select * from reporting.${v.table_name} limit 1`), v.table_name).resolves.toBeDefined();
      expect(await q("select flow, last_status from reporting.flow_last_runs")).toEqual([{ flow: "backfill", last_status: "success" }]);
    });
  });

  it("cannot read raw, stage or ops (only the reporting views show ops data)", async () => {
    await asReader(async (q) => {
      for (const t of ["ops.runs", "ops.asset_partitions", "ops.materializations", "ops.check_results", "ops.asset_catalog", "raw.kospo_items", "raw.koen_files", "stage.kospo_hourly", "stage.partition_outcomes"]) {
        await expect(q(`select * from ${t} limit 1`), t).rejects.toThrow(/permission denied/);
      }
      // The run inputs are not exposed through the views either.
      const cols = (await q("select column_name from information_schema.columns where table_schema = 'reporting' and table_name = 'flow_runs'")) as { column_name: string }[];
      expect(cols.map((c) => c.column_name)).not.toContain("inputs");
    });
  });

  it("cannot write anything: INSERT, UPDATE, DELETE, TRUNCATE, DDL", async () => {
    await asReader(async (q) => {
      await expect(q("insert into public.nambu_generation (datetime, gencd, hogi) values (now(), 'X', 1)")).rejects.toThrow(/permission denied/);
      await expect(q("update public.nambu_generation set generation = 0")).rejects.toThrow(/permission denied/);
      await expect(q("delete from public.nambu_generation")).rejects.toThrow(/permission denied/);
      await expect(q("truncate public.nambu_plants")).rejects.toThrow(/permission denied/);
      await expect(q("delete from reporting.pv_plants")).rejects.toThrow(/permission denied|cannot delete/);
      await expect(q("insert into ops.runs (run_id, flow) values ('x', 'y')")).rejects.toThrow(/permission denied/);
      await expect(q("create table reporting.t (x int)")).rejects.toThrow(/permission denied/);
      await expect(q("create view reporting.v as select 1")).rejects.toThrow(/permission denied/);
    });
    const [{ n }] = await db.sql`select count(*)::int as n from nambu_generation`;
    expect(n).toBe(1);
  });

  it("logging in as pv_grafana (what Grafana does): read-only, KST session, same privileges", async () => {
    const password = randomBytes(18).toString("base64url");
    await db.sql.unsafe(`alter role pv_grafana login password '${password}'`);
    const g = postgres({ host: db.resource.host, port: db.resource.port, user: "pv_grafana", password, database: db.resource.dbname, max: 1, onnotice: () => {} });
    try {
      const [s] = await g`select current_user as u, current_setting('TimeZone') as tz, current_setting('default_transaction_read_only') as ro`;
      expect(s).toEqual({ u: "pv_grafana", tz: "Asia/Seoul", ro: "on" });
      expect(await g`select count(*)::int as n from nambu_generation`).toEqual([{ n: 1 }]);
      await expect(g`select * from ops.runs`).rejects.toThrow(/permission denied/);
      await expect(g`insert into nambu_plants (gencd, hogi, plant_name) values ('X', 1, 'x')`).rejects.toThrow(/read-only transaction|permission denied/);
    } finally {
      await g.end({ timeout: 5 });
      await db.sql.unsafe("alter role pv_grafana nologin password null");
    }
  });
});
