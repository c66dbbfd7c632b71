import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, startCli } from "../helpers/cli.ts";

// `npm start` as on a fresh machine: no DATABASE_URL, no keys; an embedded PostgreSQL in its own dir.
const dataDir = mkdtempSync(join(tmpdir(), "pvpipe-start-"));
chmodSync(dataDir, 0o755);
const env = cliEnv({ PVPIPE_DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("pvpipe start", () => {
  it("--once: embedded database, simulator said aloud, 14 days of every KOSPO unit with coordinates, status", async () => {
    const r = await runCli(["start", "--once"], env, 240_000);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/No NAMBU_API_KEY set: .* SYNTHETIC/);
    expect(r.stdout).toMatch(/database: embedded PostgreSQL \(started/);
    expect(r.stdout).toMatch(/kospo\/hourly\s+█{14}\s+materialized 252, stale 0, failed 0, missing 0 of 252/);
    expect(r.stdout).toMatch(/database URL: postgres:\/\/pvpipe:\*\*\*@127\.0\.0\.1:\d+\/pv/);
    const q = await runCli(["sql", "select count(distinct (gencd, hogi))::int as units, count(*)::int as rows from nambu_generation", "--csv"], env);
    expect(q.stdout.trim().split("\n")[1]).toBe(`18,${18 * 14 * 24}`);
  });

  it("keeps running with the database up for other commands, and Ctrl-C stops everything cleanly", async () => {
    const app = await startCli(["start"], env, /running; Ctrl-C stops everything cleanly/, 240_000);
    expect(app.output()).toMatch(/schedule 0 30 9 \* \* \* \(Asia\/Seoul\): next/);
    // Nothing was missing any more: the second start has no work.
    expect(app.output()).toMatch(/0 partitions in 0 chunks/);
    const q = await runCli(["sql", "select count(*)::int as n from ops.runs", "--csv"], env);
    expect(q.code).toBe(0);
    expect(Number(q.stdout.trim().split("\n")[1])).toBeGreaterThanOrEqual(2);
    app.child.kill("SIGINT");
    expect(await app.exited).toBe(0);
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });
});
