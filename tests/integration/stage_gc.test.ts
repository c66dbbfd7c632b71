import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectStageGarbage } from "../../f/lib/store/stage_gc.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.drop());

describe("stage garbage collection", () => {
  it("removes stage rows of ended and abandoned runs, keeps those of running ones", async () => {
    await db.sql`insert into ops.runs (run_id, flow, status, started_at) values
      ('ended', 'backfill', 'failed', ops.clock_now()), ('live', 'backfill', 'running', ops.clock_now()),
      ('abandoned', 'backfill', 'running', ops.clock_now() - interval '3 days')`;
    for (const run of ["ended", "live", "abandoned"]) {
      await db.sql`insert into stage.kospo_hourly (run_id, partition, gencd, hogi, datetime, hour_label)
                   values (${run}, '2024-06-01|997S-1', '997S', 1, '2024-06-01 00:00+09', 1)`;
      await db.sql`insert into stage.partition_outcomes (run_id, asset, partition, status) values (${run}, 'kospo/hourly', '2024-06-01|997S-1', 'success')`;
    }
    expect(await collectStageGarbage(db.sql)).toBe(4);
    const left = await db.sql`select distinct run_id from stage.kospo_hourly union select distinct run_id from stage.partition_outcomes`;
    expect(left.map((r) => r.run_id)).toEqual(["live"]);
  });
});
