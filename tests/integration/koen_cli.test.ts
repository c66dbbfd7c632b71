import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { startKoenSim, type KoenSim } from "../../src/simulators/koen.ts";

// `pvpipe backfill --source koen` as a person runs it, against a site URL from the environment.
let db: TestDb;
let sim: KoenSim;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDb();
  sim = await startKoenSim({ htmlFor: (q) => q.start === "2024-06-01" });
  env = cliEnv({ DATABASE_URL: pgUrl(db.resource), KOEN_BASE_URL: sim.url });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

describe("pvpipe backfill --source koen", { timeout: 240_000 }, () => {
  it("rejects KOSPO-only options with exit 2 and writes nothing", async () => {
    const r = await runCli(["backfill", "--source", "koen", "--start", "2024-05-01", "--end", "2024-05-31", "--gencd", "997S"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--gencd: applies to --source kospo only/);
    const [{ n }] = await db.sql`select count(*)::int as n from ops.runs`;
    expect(n).toBe(0);
  });

  it("loads good months and fails loudly, naming the month, when the download is an HTML page (exit 1)", async () => {
    const r = await runCli(["backfill", "--source", "koen", "--start", "2024-05-01", "--end", "2024-06-30"], env, 180_000);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/run \S+ partial/);
    expect(r.stdout).toMatch(/koen\/hourly: 1 ok, 0 empty, 1 failed, 17112 rows/);
    expect(r.stdout).toMatch(/failed koen\/hourly 2024-06-01: SourceReturnedHtml: .*HTML page instead of data \(HTTP 200\) for csvDown\.do strDateS=20240601 strDateE=20240630/);
    // The site URL came from the environment: the real-site path, not the simulator notice.
    expect(r.stderr).not.toMatch(/KOEN data comes from the built-in/);
    const [{ n }] = await db.sql`select count(*)::int as n from namdong_generation`;
    expect(n).toBe(23 * 31 * 24);
  });
});
