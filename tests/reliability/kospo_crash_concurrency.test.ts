// A backfill killed with SIGKILL resumes with the same command and ends with exactly the rows of a
// clean run; two engines running overlapping backfills materialize each partition once per run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "../helpers/engine.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { countSecrets, settleSuite } from "./guarantees.ts";

let sim: KospoSim;
const dbs: TestDb[] = [];
beforeAll(async () => {
  sim = await startKospoSim({ latencyMs: 30 });
});
// Tallies for the README "Guarantees" (tests/reliability/guarantees.ts): rows lost / duplicated vs a clean run.
const tallies: { name: string; lost: number; duplicated: number }[] = [];
const outputs: string[] = [];
const compare = (got: Record<string, unknown>[], want: Record<string, unknown>[]) => {
  const g = new Set(got.map((r) => JSON.stringify(r)));
  const keys = new Set(got.map((r) => `${r.gencd}|${r.hogi}|${(r.datetime as Date).toISOString()}`));
  return { lost: want.filter((r) => !g.has(JSON.stringify(r))).length, duplicated: got.length - keys.size + Math.max(0, got.length - want.length) };
};

afterAll(async () => {
  if (tallies.length > 0) {
    const leaked = countSecrets(outputs, [DEFAULT_SIM_KEY, ...dbs.map((d) => d.resource.password)]);
    expect(leaked.where).toEqual([]);
    const t = (name: string) => tallies.find((x) => x.name === name);
    const line = (name: string, claim: string, test: string) => {
      const x = t(name);
      return { claim, test, scenarios: x ? 1 : 0, rowsLost: x?.lost ?? null, rowsDuplicated: x?.duplicated ?? null, secretsLeaked: null };
    };
    settleSuite(
      {
        suite: "kospo_crash_concurrency",
        title: "Crashes and concurrent engines",
        order: 4,
        lines: [
          line(
            "sigkill",
            "SIGKILL of the engine in the middle of a backfill, then the same command: only the unfinished partitions run, and rows and data versions equal a clean run's",
            "tests/reliability/kospo_crash_concurrency.test.ts › SIGKILL in the middle of a backfill",
          ),
          line(
            "two engines",
            "Two engine processes on overlapping ranges of one database: both succeed (no deadlock surfaced), one materialization per partition per run, rows equal a clean run's",
            "tests/reliability/kospo_crash_concurrency.test.ts › two engines on overlapping ranges",
          ),
          {
            claim: "No API key or database password in any stdout/stderr of the engine processes above",
            test: "tests/reliability/kospo_crash_concurrency.test.ts › afterAll scan",
            scenarios: 0,
            rowsLost: null,
            rowsDuplicated: null,
            secretsLeaked: leaked.count,
          },
        ],
        scenarioNames: ["SIGKILL mid-backfill, then resume", "two engines, overlapping backfills"],
      },
      tallies.length === 2,
    );
  }
  await sim?.close();
  for (const d of dbs) await d.drop();
});

async function freshDb() {
  const d = await createTestDb();
  dbs.push(d);
  return d;
}
const envFor = (d: TestDb) => cliEnv({ DATABASE_URL: pgUrl(d.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url });
const ARGS = ["backfill", "--source", "kospo", "--start", "2024-04-01", "--end", "2024-05-31", "--parallelism", "2"];

async function servedRows(d: TestDb) {
  return d.sql`select gencd, hogi, datetime, generation, daily_total from nambu_generation order by gencd, hogi, datetime`;
}
async function dataVersions(d: TestDb) {
  return d.sql`select partition, data_version from ops.asset_partitions where asset = 'kospo/hourly' order by partition`;
}

describe("crash and concurrency", () => {
  it("SIGKILL in the middle of a backfill, then the same command: only unfinished work, same rows as a clean run", async () => {
    const clean = await freshDb();
    expect((await runCli(ARGS, envFor(clean))).code).toBe(0);

    const crashed = await freshDb();
    const env = envFor(crashed);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, "bin", "pvpipe.mjs"), ...ARGS], { env, cwd: ROOT });
      let err = "";
      child.stderr.on("data", (d) => {
        err += d;
        if (/\[8\/\d+\]/.test(err)) child.kill("SIGKILL");
      });
      child.on("close", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`not killed: ${err}`))));
    });
    const [{ done }] = await crashed.sql`select count(*)::int as done from ops.asset_partitions where asset = 'kospo/hourly'`;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(18 * 61);

    const before = sim.log.length;
    const resumed = await runCli(ARGS, env);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`plan: kospo 2024-04-01..2024-05-31: ${18 * 61 - done} partitions`));
    const refetched = sim.log.slice(before).length;
    expect(refetched).toBeLessThan(18 * 2 * 2); // at most the unfinished chunks, not the whole range again

    outputs.push(resumed.stdout, resumed.stderr);
    const got = await servedRows(crashed);
    const want = await servedRows(clean);
    tallies.push({ name: "sigkill", ...compare(got, want) });
    expect(got).toEqual(want);
    expect(await dataVersions(crashed)).toEqual(await dataVersions(clean));
    const [{ leftovers }] = await crashed.sql`select count(*)::int as leftovers from stage.kospo_hourly`;
    expect(leftovers).toBe(0);
  });

  it("two engines on overlapping ranges: no error, no duplicate, one materialization per partition per run", async () => {
    const shared = await freshDb();
    const env = envFor(shared);
    const [a, b] = await Promise.all([
      runCli(["backfill", "--source", "kospo", "--start", "2024-06-01", "--end", "2024-06-20"], env),
      runCli(["backfill", "--source", "kospo", "--start", "2024-06-10", "--end", "2024-06-30"], env),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [{ n, distinct }] = await shared.sql`select count(*)::int as n, count(distinct (gencd, hogi, datetime))::int as distinct from nambu_generation`;
    expect(n).toBe(18 * 30 * 24);
    expect(distinct).toBe(n);
    const dup = await shared.sql`select run_id, partition, count(*)::int from ops.materializations where asset = 'kospo/hourly'
                                 group by 1, 2 having count(*) > 1`;
    expect(dup).toEqual([]);
    const clean = await freshDb();
    expect((await runCli(["backfill", "--source", "kospo", "--start", "2024-06-01", "--end", "2024-06-30"], envFor(clean))).code).toBe(0);
    outputs.push(a.stdout, a.stderr, b.stdout, b.stderr);
    const got = await servedRows(shared);
    const want = await servedRows(clean);
    tallies.push({ name: "two engines", ...compare(got, want) });
    expect(got).toEqual(want);
  });
});
