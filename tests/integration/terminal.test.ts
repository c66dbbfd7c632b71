// pvpipe at a real terminal (a pseudo-terminal): Ctrl-C reaches the whole foreground process
// group, as it does when a person types it. The embedded database must not be in that group.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { embeddedEnv, type EmbeddedEnv } from "../helpers/embedded_env.ts";
import { runInPty } from "../helpers/pty.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

let sim: KospoSim;
let emb: EmbeddedEnv;
/** The run the first test cancelled (the second tells its own run from it). */
let firstRun = "";
beforeAll(async () => {
  // Slow enough per request that a backfill of two years takes a while, one chunk at a time.
  sim = await startKospoSim({ latencyMs: 400 });
  emb = await embeddedEnv({ NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url });
});
afterAll(async () => {
  await sim?.close();
  await emb?.cleanup();
});

const STACK = /TypeError|Error: .*\n\s+at |\n\s+at .*\.(ts|js|mjs):\d+/;
const backfillArgs = (start: string, end: string) => ["backfill", "--source", "kospo", "--start", start, "--end", end, "--gencd", "997N", "--parallelism", "1"];

async function sqlJson<T>(query: string): Promise<T[]> {
  const r = await runCli(["sql", query, "--json"], emb.env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T[];
}

describe("pvpipe at a terminal", () => {
  it("Ctrl-C during a backfill on the embedded database: exit 130, no stack trace, the run cancelled, no debris; the same command loads exactly the rest", async () => {
    const args = backfillArgs("2022-01-01", "2023-12-31"); // 730 days of one unit, 24 chunks
    const t = runInPty(args, emb.env);
    await t.waitFor(/1\/24 chunks/);
    t.ctrlC();
    expect(await t.exited, t.screen()).toBe(130);
    const shown = t.screen();
    expect(t.raw()).not.toMatch(STACK);
    expect(shown).toMatch(/stopping: finishing the current step \(Ctrl-C again to stop at once\)/);
    const m = /cancelled: run ([0-9a-f-]{36}) backfill stopped after (\d+) of 730 partitions; resume with: pvpipe backfill --source kospo --start 2022-01-01 --end 2023-12-31 --gencd 997N/.exec(shown);
    expect(m, shown).not.toBeNull();
    const [, runId, doneText] = m!;
    firstRun = runId;
    // The bar said nothing about time left before a chunk was done, and is gone from the screen.
    expect(t.raw()).toMatch(/0\/24 chunks \| estimating…/);
    expect(t.raw()).not.toMatch(/0\/24 chunks \| \S+ left/);
    expect(shown).not.toMatch(/chunks \|/);
    // The server was out of the terminal's reach, and the last pvpipe process stopped it.
    expect(existsSync(join(emb.dataDir, "postmaster.pid"))).toBe(false);

    const runs = JSON.parse((await runCli(["runs", "--json"], emb.env)).stdout) as { run_id: string; status: string }[];
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([[runId, "cancelled"]]);
    const [first] = await sqlJson<{ n: number }>(`select count(*) as n from ops.materializations where run_id = '${runId}' and asset = 'kospo/hourly' and status = 'success'`);
    expect(first.n).toBe(Number(doneText));
    expect(first.n).toBeGreaterThan(0);
    expect(first.n).toBeLessThan(730);

    const again = await runCli(args, emb.env, 300_000);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`plan: kospo 2022-01-01\\.\\.2023-12-31: ${730 - first.n} partitions`));
    const [all] = await sqlJson<{ n: number; distinct_partitions: number; rows: number }>(`
      select count(*) as n, count(distinct partition) as distinct_partitions,
        (select count(*) from nambu_generation where gencd = '997N' and datetime >= '2022-01-01' and datetime < '2024-01-01') as rows
      from ops.materializations where asset = 'kospo/hourly' and status = 'success'`);
    expect(all).toEqual({ n: 730, distinct_partitions: 730, rows: 730 * 24 });
  }, 600_000);

  it("a second Ctrl-C stops at once, without a stack trace, and leaves no run 'running'", async () => {
    const t = runInPty(backfillArgs("2020-01-01", "2021-12-31"), emb.env);
    await t.waitFor(/1\/24 chunks/);
    t.ctrlC();
    await t.waitFor(/stopping: finishing the current step/);
    t.ctrlC();
    expect(await t.exited, t.screen()).toBe(130);
    expect(t.raw()).not.toMatch(STACK);
    expect(t.screen()).toMatch(/stopped at once; run the same command again to resume/);
    // This run: neither the first test's cancelled run nor its successful resume. (Under the
    // suite's pinned clock, start times do not order runs of different processes.)
    const runs = JSON.parse((await runCli(["runs", "--json"], emb.env)).stdout) as { run_id: string; status: string }[];
    const mine = runs.filter((r) => r.run_id !== firstRun && r.status !== "success");
    expect(mine).toHaveLength(1);
    // Closed as cancelled by the process itself, or (had the database been slow to answer) as
    // failed "engine lost" by `pvpipe runs`: never left running.
    expect(["cancelled", "failed"]).toContain(mine[0].status);
  }, 600_000);

  it("asks for missing --start/--end on a terminal and validates the answers", async () => {
    const t = runInPty(["backfill", "--source", "kospo", "--gencd", "997N"], emb.env);
    await t.waitFor(/first day \(YYYY-MM-DD, KST\): /);
    t.type("2024-02-30\r");
    await t.waitFor(/"2024-02-30": .*not a real calendar date/);
    t.type("2024-03-01\r");
    await t.waitFor(/last day \(YYYY-MM-DD, KST\) \[\d{4}-\d{2}-\d{2}\]: /);
    t.type("2024-02-01\r");
    await t.waitFor(/2024-02-01 is before the first day 2024-03-01/);
    t.type("2024-03-02\r");
    expect(await t.exited, t.screen()).toBe(0);
    expect(t.screen()).toMatch(/plan: kospo 2024-03-01\.\.2024-03-02: 2 partitions/);
    expect(t.screen()).toMatch(/kospo\/hourly: 2 ok, 0 empty, 0 failed, 48 rows/);
  }, 300_000);
});
