// Database faults during a KOSPO backfill: the connection killed in the middle of an ingest
// (pg_terminate_backend), PostgreSQL restarted during the run, the ingest's write failing as on a full disk, and
// a lock timeout. Each: the first run ends in a defined state with no partition half-written, the
// same backfill again completes, and the rows and data versions equal a clean run's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backfill } from "../../flows/backfill.ts";
import { runFlow, type EngineOptions, type FlowRunResult, type StepEvent } from "../../src/flow/engine.ts";
import { connect, type PgResource, type Sql } from "../../f/lib/db/resource.ts";
import { ensureReady } from "../../f/lib/db/setup.ts";
import { freePort, startEmbedded } from "../../src/db/embedded.ts";
import { addDays } from "../../f/lib/time/kst.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "../helpers/engine.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { countSecrets, settleSuite } from "./guarantees.ts";
import { captureOutput, databaseText } from "./scan.ts";

const PLANT = "9985";
const TEST = "tests/reliability/database_faults.test.ts";
const W = {
  terminate: { start: "2024-05-01", end: "2024-05-03" },
  restart: { start: "2024-05-06", end: "2024-05-08" },
  diskFull: { start: "2024-05-11", end: "2024-05-13" },
  lockTimeout: { start: "2024-05-16", end: "2024-05-18" },
};
type Window = { start: string; end: string };

let sim: KospoSim;
let db: TestDb;
let clean: TestDb;
let capture: ReturnType<typeof captureOutput>;
const texts: string[] = [];
const tallies: { name: string; lost: number; duplicated: number }[] = [];

const engine = (resource: PgResource, onEvent?: (e: StepEvent) => void): EngineOptions => ({
  root: ROOT,
  resources: { db: resource, kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: sim.url, key_name: "NAMBU_API_KEY" } },
  retryDelayScale: 0,
  onEvent,
});
const input = (w: Window) => ({ source: "kospo", start: w.start, end: w.end, plant: PLANT, policy: "missing+failed", parallelism: 1 });

async function rowsOf(sql: Sql, w: Window) {
  return sql`select datetime, gencd, hogi, plant_name, generation, daily_total, daily_avg, daily_max, daily_min
    from nambu_generation where gencd = ${PLANT}
      and datetime >= ${`${w.start} 00:00+09`}::timestamptz and datetime < ${`${addDays(w.end, 1)} 00:00+09`}::timestamptz
    order by gencd, hogi, datetime`;
}
async function versionsOf(sql: Sql, w: Window) {
  return sql`select partition, status, data_version from ops.asset_partitions where asset = 'kospo/hourly'
    and split_part(partition, '|', 1) between ${w.start} and ${w.end} order by partition`;
}

/** After the faulty run: closed, and every day either fully served or not at all. */
async function expectDefinedState(sql: Sql, first: FlowRunResult, w: Window) {
  texts.push(first.error?.message ?? "", first.error?.stack ?? "");
  const [run] = await sql`select status, finished_at, error from ops.runs where run_id = ${first.runId}`;
  texts.push(String(run?.error ?? ""));
  expect(run.status).not.toBe("running");
  expect(run.finished_at).not.toBeNull();
  const perDay = await sql<{ day: string; n: number }[]>`
    select to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day, count(*)::int as n from nambu_generation
    where gencd = ${PLANT} and datetime >= ${`${w.start} 00:00+09`}::timestamptz and datetime < ${`${addDays(w.end, 1)} 00:00+09`}::timestamptz
    group by 1`;
  for (const d of perDay) expect(d.n, `day ${d.day} half-written`).toBe(24);
  // A day with rows is recorded as materialized, in the same transaction.
  const materialized = await sql<{ partition: string }[]>`select partition from ops.asset_partitions
    where asset = 'kospo/hourly' and status = 'materialized' and split_part(partition, '|', 1) between ${w.start} and ${w.end}`;
  expect(materialized.map((m) => m.partition.split("|")[0]).sort()).toEqual(perDay.map((d) => d.day).sort());
  return run.status as string;
}

/** The same backfill again completes; rows and data versions equal the clean run's. */
async function expectRerunCompletes(name: string, sql: Sql, resource: PgResource, w: Window) {
  const again = await runFlow(backfill, input(w), engine(resource));
  texts.push(again.error?.message ?? "");
  expect(again.status, again.error?.message).toBe("success");
  const got = await rowsOf(sql, w);
  const want = await rowsOf(clean.sql, w);
  const key = (r: Record<string, unknown>) => `${r.gencd}|${r.hogi}|${(r.datetime as Date).toISOString()}`;
  const gotKeys = new Set(got.map(key));
  const gotJson = new Set(got.map((r) => JSON.stringify(r)));
  const lost = want.filter((r) => !gotJson.has(JSON.stringify(r))).length;
  const duplicated = got.length - gotKeys.size + Math.max(0, got.length - want.length);
  tallies.push({ name, lost, duplicated });
  expect(got).toEqual(want);
  expect(await versionsOf(sql, w)).toEqual(await versionsOf(clean.sql, w));
  const [{ staged }] = await sql`select count(*)::int as staged from stage.kospo_hourly`;
  expect(staged).toBe(0);
}

beforeAll(async () => {
  capture = captureOutput();
  sim = await startKospoSim();
  [db, clean] = await Promise.all([createTestDb(), createTestDb()]);
  const r = await runFlow(backfill, { ...input({ start: W.terminate.start, end: W.lockTimeout.end }), policy: "missing" }, engine(clean.resource));
  expect(r.status).toBe("success");
});

afterAll(async () => {
  capture?.stop();
  if (tallies.length > 0) {
    texts.push(capture.text(), ...(await databaseText(db.sql)));
    const leaked = countSecrets(texts, [DEFAULT_SIM_KEY, db.resource.password]);
    expect(leaked.where).toEqual([]);
    const sum = (k: "lost" | "duplicated") => tallies.reduce((n, t) => n + t[k], 0);
    settleSuite({
      suite: "database_faults",
      title: "Database faults",
      order: 2,
      lines: [
        {
          claim:
            "Connection killed mid-ingest (pg_terminate_backend), PostgreSQL restarted during a backfill, the ingest's write failing as on a full disk, a lock timeout: " +
            "the run ends failed or succeeds, no day is half-written, the same command again ends with exactly a clean run's rows and data versions",
          test: `${TEST} › database faults`,
          scenarios: tallies.length,
          rowsLost: sum("lost"),
          rowsDuplicated: sum("duplicated"),
          secretsLeaked: leaked.count,
        },
      ],
      scenarioNames: tallies.map((t) => t.name),
    }, tallies.length === 4);
  }
  await sim?.close();
  await db?.drop();
  await clean?.drop();
});

describe("database faults", () => {
  it("the connection of an ingest is killed (pg_terminate_backend) on every attempt", async () => {
    const w = W.terminate;
    // Hold a lock that blocks the upsert, so the ingest is caught in the middle; kill whoever waits on it.
    const locker = connect(db.resource, { max: 1 });
    let killed = 0;
    let done = false;
    try {
      const held = locker.begin(async (tx) => {
        await tx`lock table public.nambu_generation in share mode`;
        while (!done) {
          const victims = await db.sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%nambu_generation%'`;
          killed += victims.length;
          await new Promise((r) => setTimeout(r, 20));
        }
      });
      const first = await runFlow(backfill, input(w), engine(db.resource)).finally(() => (done = true));
      await held;
      expect(killed).toBeGreaterThanOrEqual(1);
      expect(await expectDefinedState(db.sql, first, w)).toBe("failed");
    } finally {
      done = true;
      await locker.end({ timeout: 5 });
    }
    await expectRerunCompletes("connection killed mid-ingest", db.sql, db.resource, w);
  });

  it("PostgreSQL restarts in the middle of a backfill", async () => {
    const w = W.restart;
    const base = mkdtempSync(join(tmpdir(), "pvpipe-restart-"));
    chmodSync(base, 0o755);
    const port = await freePort();
    const dataDir = join(base, "pg");
    // The project's own embedded server (started detached, stopped by a signal), as `npm start` runs it.
    let server = await startEmbedded({ dataDir, port });
    const resource: PgResource = server.resource;
    const cred = { password: resource.password };
    const sql = connect(resource, { max: 2 });
    try {
      await ensureReady(sql);
      let restarted: Promise<void> | undefined;
      const first = await runFlow(
        backfill,
        input(w),
        engine(resource, (e) => {
          if (e.type === "start" && e.step === "kospo_ingest" && !restarted) {
            restarted = (async () => {
              await server.stop();
              await new Promise((r) => setTimeout(r, 300));
              server = await startEmbedded({ dataDir, port });
            })();
          }
        }),
      );
      await restarted;
      expect(restarted).toBeDefined();
      await sql.end({ timeout: 1 }).catch(() => {});
      const after = connect(resource, { max: 2 });
      try {
        const status = await expectDefinedState(after, first, w);
        expect(["failed", "success"]).toContain(status);
        await expectRerunCompletes("PostgreSQL restarted during a backfill", after, resource, w);
        texts.push(...(await databaseText(after)));
        const leaked = countSecrets([...texts], [cred.password]);
        expect(leaked.where).toEqual([]);
      } finally {
        await after.end({ timeout: 5 });
      }
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("the ingest's write into the serving table fails as on a full disk (SQLSTATE 53100)", async () => {
    const w = W.diskFull;
    await db.sql.unsafe(`
      create function public.t_disk_full() returns trigger language plpgsql as $$
        begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$;
      create trigger t_disk_full before insert on public.nambu_generation for each row execute function public.t_disk_full();`);
    let first: FlowRunResult;
    try {
      first = await runFlow(backfill, input(w), engine(db.resource));
    } finally {
      await db.sql.unsafe(`drop trigger t_disk_full on public.nambu_generation; drop function public.t_disk_full();`);
    }
    expect(first.error?.message).toMatch(/No space left on device/);
    expect(await expectDefinedState(db.sql, first, w)).toBe("failed");
    const [{ n }] = await db.sql`select count(*)::int as n from nambu_generation
      where datetime >= ${`${w.start} 00:00+09`}::timestamptz and datetime < ${`${addDays(w.end, 1)} 00:00+09`}::timestamptz`;
    expect(n).toBe(0);
    await expectRerunCompletes("the ingest's write fails (disk full)", db.sql, db.resource, w);
  });

  it("the ingest hits a lock timeout", async () => {
    const w = W.lockTimeout;
    const locker = connect(db.resource, { max: 1 });
    await db.sql.unsafe(`alter database "${db.resource.dbname}" set lock_timeout = '200ms'`);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    try {
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const held = locker.begin(async (tx) => {
        await tx`lock table public.nambu_generation in share mode`;
        locked();
        await released;
      });
      await isLocked;
      const first = await runFlow(backfill, input(w), engine(db.resource));
      release();
      await held;
      expect(first.error?.message).toMatch(/lock timeout/);
      expect(await expectDefinedState(db.sql, first, w)).toBe("failed");
    } finally {
      release();
      await db.sql.unsafe(`alter database "${db.resource.dbname}" reset lock_timeout`);
      await locker.end({ timeout: 5 });
    }
    await expectRerunCompletes("lock timeout", db.sql, db.resource, w);
  });
});
