// Runs you can list, follow and cancel, across processes, through the real CLI: the event log,
// `pvpipe runs`, `logs --follow`, `cancel`, runs whose engine is gone, `run probe`; and the CLI
// habits that go with them (sql in KST, the range before an asset's first partition, missing
// dates without a terminal, connection errors).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "../helpers/engine.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let db: TestDb;
let slow: KospoSim;
let fast: KospoSim;
let env: NodeJS.ProcessEnv;
let fastEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDb();
  slow = await startKospoSim({ latencyMs: 400 });
  fast = await startKospoSim();
  env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: slow.url });
  fastEnv = { ...env, KOSPO_API_URL: fast.url };
});
afterAll(async () => {
  await slow?.close();
  await fast?.close();
  await db?.drop();
});

function startPvpipe(args: string[], e: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(ROOT, "bin", "pvpipe.mjs"), ...args], { env: e, cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const longBackfill = (start: string, end: string) => ["backfill", "--source", "kospo", "--start", start, "--end", end, "--gencd", "997N", "--parallelism", "1"];

/** The id of the one running run of this process, once its first chunk is loaded. */
async function runningRun(pid: number): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const [row] = await db.sql<{ run_id: string }[]>`
      select r.run_id from ops.runs r where r.status = 'running' and r.engine_pid = ${pid}
        and exists (select 1 from ops.materializations m where m.run_id = r.run_id and m.asset = 'kospo/hourly')`;
    if (row) return row.run_id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`process ${pid} never had a running run with a loaded chunk`);
}

describe("runs across processes", () => {
  it("logs --follow prints a run's events as they come, and cancel stops it at its next step boundary", async () => {
    const run = startPvpipe(longBackfill("2022-01-01", "2023-12-31"), env);
    const runId = await runningRun(run.child.pid!);
    const listed = JSON.parse((await runCli(["runs", "--status", "running", "--json"], env)).stdout) as { run_id: string; flow: string }[];
    expect(listed.map((r) => [r.run_id, r.flow])).toEqual([[runId, "backfill"]]);

    const follow = startPvpipe(["logs", runId.slice(0, 8), "--follow"], env);
    const cancel = await runCli(["cancel", runId], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`cancel requested: run ${runId} stops at its next step boundary`);

    expect(await run.exited, run.stderr()).toBe(1);
    expect(run.stderr()).toMatch(new RegExp(`cancelled by pvpipe cancel: run ${runId} backfill stopped after \\d+ of 730 partitions; resume with: pvpipe backfill --source kospo --start 2022-01-01 --end 2023-12-31 --gencd 997N`));
    expect(await follow.exited, follow.stderr()).toBe(0);
    const log = follow.stdout();
    expect(log).toMatch(/info  run_started\s+backfill started/);
    expect(log).toMatch(/info  plan\s+plan\s+plan finished: kospo\/hourly 2022-01-01\.\.2023-12-31: partitions 730, chunks 24/);
    expect(log).toMatch(/info  step_finished\s+kospo_ingest\[0\]\s+kospo_ingest finished: 997N-1: partitions 31, success 31, empty 0, failed 0, inserted 744/);
    expect(log).toMatch(/warn  cancel_requested\s+cancel requested by pvpipe cancel/);
    expect(log.trim().split("\n").at(-1)).toMatch(/warn  run_finished\s+backfill cancelled: FlowStopped: the run was cancelled \(pvpipe cancel\)/);

    const [row] = await db.sql<{ status: string; finished: boolean }[]>`select status, finished_at is not null as finished from ops.runs where run_id = ${runId}`;
    expect(row).toEqual({ status: "cancelled", finished: true });
    const again = await runCli(["cancel", runId], env);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`pvpipe: run ${runId} is not running (it ended cancelled)`);
  }, 300_000);

  it("a run whose engine was killed is closed as failed 'engine lost' by pvpipe runs, and by the next engine start", async () => {
    const a = startPvpipe(longBackfill("2020-01-01", "2021-12-31"), env);
    const lostA = await runningRun(a.child.pid!);
    a.child.kill("SIGKILL");
    await a.exited;
    const runs = await runCli(["runs", "--json"], env);
    expect(runs.code, runs.stderr).toBe(0);
    const rowA = (JSON.parse(runs.stdout) as { run_id: string; status: string; error: string }[]).find((r) => r.run_id === lostA);
    expect(rowA?.status).toBe("failed");
    expect(rowA?.error).toMatch(new RegExp(`^engine lost: process ${a.child.pid} on .+ is gone`));
    expect((await runCli(["logs", lostA], env)).stdout).toMatch(/error engine_lost\s+engine lost: process \d+ on .+ is gone; the run is closed as failed/);
    const human = await runCli(["runs"], env);
    expect(human.stdout).not.toMatch(/\| running /);

    const b = startPvpipe(longBackfill("2018-01-01", "2019-12-31"), env);
    const lostB = await runningRun(b.child.pid!);
    b.child.kill("SIGKILL");
    await b.exited;
    const next = await runCli(["backfill", "--source", "kospo", "--start", "2024-05-01", "--end", "2024-05-01", "--gencd", "997N"], fastEnv);
    expect(next.code, next.stderr).toBe(0);
    const [rowB] = await db.sql<{ status: string; error: string }[]>`select status, error from ops.runs where run_id = ${lostB}`;
    expect(rowB.status).toBe("failed");
    expect(rowB.error).toMatch(/^engine lost: process \d+ on .+ is gone/);
    const [{ running }] = await db.sql<{ running: number }[]>`select count(*)::int as running from ops.runs where status = 'running'`;
    expect(running).toBe(0);
  }, 300_000);

  it("runs: filters, limit, aligned and JSON output; bad options are usage errors", async () => {
    const all = JSON.parse((await runCli(["runs", "--json", "--limit", "100"], env)).stdout) as { run_id: string; status: string; flow: string; partitions_ok: number; rows: number }[];
    expect(all.length).toBeGreaterThanOrEqual(4);
    const failed = JSON.parse((await runCli(["runs", "--status", "failed", "--json"], env)).stdout) as { status: string }[];
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(failed.map((r) => r.status))).toEqual(new Set(["failed"]));
    const one = JSON.parse((await runCli(["runs", "--flow", "backfill", "--limit", "1", "--json"], env)).stdout) as { flow: string }[];
    expect(one.map((r) => r.flow)).toEqual(["backfill"]);
    // The one-day backfill of the test before: its partitions (raw + hourly) and rows (24 + 1 payload).
    const ok = JSON.parse((await runCli(["runs", "--status", "success", "--flow", "backfill", "--json"], env)).stdout) as { status: string; partitions_ok: number; rows: number }[];
    expect(ok).toEqual([expect.objectContaining({ status: "success", partitions_ok: 2, rows: 25 })]);
    const table = await runCli(["runs", "--limit", "2"], env);
    expect(table.stdout.split("\n")[0]).toMatch(/^\s+run\s+\|\s+flow\s+\|\s+status\s+\|\s+started \(KST\)\s+\|/);
    expect(table.stdout.trim().split("\n").at(-1)).toBe("(2 rows)");
    for (const [args, message] of [
      [["runs", "--status", "stuck"], /--status must be one of running, success, partial, failed, cancelled/],
      [["runs", "--limit", "0"], /--limit must be at least 1/],
      [["logs", "no-such-run"], /no run "no-such-run"/],
    ] as const) {
      const r = await runCli([...args], env);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);

  it("run probe prints the first day it found per unit", async () => {
    const r = await runCli(["run", "probe", "--input", "plant=997N"], fastEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run [0-9a-f-]{36} probe success\n  997N-1: first day with data \d{4}-\d{2}-\d{2}$/m);
  }, 120_000);
});

describe("CLI habits", () => {
  it("sql: a session in Asia/Seoul, +09 timestamps, numbers as numbers, psql-aligned, --csv, --json", async () => {
    const q = "select '2026-12-01'::timestamptz as t, count(*) as n, 2.50::numeric as x, 'a|b' as s, null::text as z, true as ok from (values (1), (2)) v(i)";
    const aligned = await runCli(["sql", q], env);
    expect(aligned.code, aligned.stderr).toBe(0);
    expect(aligned.stdout).toBe(
      [
        "           t            | n |  x   |  s  | z | ok",
        "------------------------+---+------+-----+---+----",
        " 2026-12-01 00:00:00+09 | 2 | 2.50 | a|b |   | t",
        "(1 row)",
        "",
      ].join("\n"),
    );
    const csv = await runCli(["sql", q, "--csv"], env);
    expect(csv.stdout).toBe("t,n,x,s,z,ok\n2026-12-01 00:00:00+09,2,2.50,a|b,,true\n");
    const json = await runCli(["sql", q, "--json"], env);
    expect(JSON.parse(json.stdout)).toEqual([{ t: "2026-12-01 00:00:00+09", n: 2, x: 2.5, s: "a|b", z: null, ok: true }]);
    const both = await runCli(["sql", "select 1", "--csv", "--json"], env);
    expect(both.code).toBe(2);
  });

  it("a range before the asset's first partition says how many days were skipped and why", async () => {
    // 8760: a unit whose first day is not known (never probed), so the asset's start applies.
    const part = await runCli(["backfill", "--source", "kospo", "--start", "2014-12-25", "--end", "2015-01-02", "--gencd", "8760"], fastEnv);
    expect(part.code, part.stderr).toBe(0);
    expect(part.stderr).toContain("7 days skipped (2014-12-25..2014-12-31): kospo/hourly starts on 2015-01-01; loading from 2015-01-01");
    expect(part.stderr).toContain("plan: kospo 2014-12-25..2015-01-02: 2 partitions in 1 chunks");
    const none = await runCli(["backfill", "--source", "kospo", "--start", "1999-01-01", "--end", "1999-12-31", "--gencd", "8760"], fastEnv);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toContain("nothing to load: 1999-01-01..1999-12-31 is before kospo/hourly's first partition (kospo/hourly starts on 2015-01-01); all 365 days skipped");
  }, 120_000);

  it("missing --start/--end without a terminal: one line, exit 2", async () => {
    const r = await runCli(["backfill", "--source", "kospo", "--end", "2024-03-01"], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("pvpipe: --start is required (YYYY-MM-DD, KST)");
    const both = await runCli(["backfill", "--source", "kospo"], env);
    expect(both.stderr.trim()).toBe("pvpipe: --start and --end are required (YYYY-MM-DD, KST)");
  });

  it("a database that cannot be reached is named with its setting and host, never its password", async () => {
    const refused = await runCli(["status"], cliEnv({ DATABASE_URL: "postgres://pv:s3cret-pw@127.0.0.1:1/pv" }));
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe("pvpipe: cannot connect to PostgreSQL at 127.0.0.1:1, database pv (DATABASE_URL): connection refused (no server listens there)");
    const flag = await runCli(["runs", "--db-url", "postgres://pv:s3cret-pw@127.0.0.1:1/pv"], cliEnv());
    expect(flag.stderr.trim()).toBe("pvpipe: cannot connect to PostgreSQL at 127.0.0.1:1, database pv (--db-url): connection refused (no server listens there)");
    const auth = await runCli(["status"], cliEnv({ DATABASE_URL: pgUrl({ ...db.resource, password: "wrong-s3cret" }) }));
    expect(auth.code).toBe(2);
    expect(auth.stderr).toMatch(/\(DATABASE_URL\): password authentication failed/);
    for (const r of [refused, flag, auth]) expect(r.stdout + r.stderr).not.toMatch(/s3cret/);
  });
});
