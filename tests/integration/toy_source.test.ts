// "Adding a source" (docs/DEVELOPING.md) exercised: a toy fourth source declared in the test folder
// only (tests/fixtures/toy_source/: its tables, its Source, its assets, its own tiny HTTP server)
// runs through the generic collect → ingest, its declared checks and `pvpipe status`'s
// view, without a line of f/, src/ or flows/ naming it. The same guarantees hold as for the three
// real sources: exact payloads kept, NULL never 0, an identical reload changes no row, a failed day
// is recorded failed and fetched again, stored days are not asked again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectChunk } from "../../f/lib/load/collect.ts";
import { ingestChunk } from "../../f/lib/load/ingest.ts";
import { planSource } from "../../f/lib/planner/plan_source.ts";
import { runAssetChecks } from "../../f/lib/quality/run_checks.ts";
import { startRun } from "../../f/lib/store/runs.ts";
import { collectStatus, renderStatus } from "../../src/cli/status_view.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { startToyServer, TOY_DAY_EMPTY, TOY_DAY_FAILING, TOY_GAP_HOUR, toyReading, type ToyServer } from "../fixtures/toy_source/server.ts";
import { TOY_TABLES, toyHourly, toyRaw } from "../fixtures/toy_source/source.ts";

let db: TestDb;
let server: ToyServer;
const START = "2024-06-01";
const END = "2024-06-05";

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDb(), startToyServer()]);
  await db.sql.unsafe(TOY_TABLES);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** What a backfill's chunk does, step by step, with the generic steps' own functions. */
async function backfill(runId: string, policy = "missing") {
  await startRun(db.sql, { runId, flow: "toy_backfill", engine: "local", inputs: { source: "toy", start: START, end: END } });
  const plan = await planSource(db.sql, toyHourly, { start: START, end: END, filter: {}, policy });
  const chunks = [];
  for (const chunk of plan.chunks) {
    const collected = await collectChunk(db.sql, toyHourly, {
      api: { base_url: server.url }, runId, chunk, refetch: policy === "all", concurrency: 1, requestsPerSecond: 100, signal: new AbortController().signal,
    });
    const ingested = await ingestChunk(db.sql, toyHourly, runId, chunk);
    const checked = await runAssetChecks(db.sql, { asset: toyHourly, start: chunk.start, end: chunk.end, pdims: chunk.pdim ? [chunk.pdim] : null, runId });
    chunks.push({ chunk, collected, ingested, checked });
  }
  return { plan, chunks };
}

describe("a toy fourth source declared in the test folder only", () => {
  it("runs through collect → ingest → checks, with the values its server sent, NULL never 0", async () => {
    const { plan, chunks } = await backfill("toy-1");
    expect(plan).toMatchObject({ asset: "toy/hourly", partitions: 10 });
    expect(chunks.map((c) => [c.chunk.pdim, c.chunk.start, c.chunk.end])).toEqual([["site-a", START, END], ["site-b", START, END]]);
    for (const c of chunks) {
      expect(c.collected).toMatchObject({ unit: c.chunk.pdim, skipped: 0, data: 3, empty: 1, failed: 1, requests: 5 });
      expect(c.ingested).toMatchObject({ partitions: 5, rows: 72, inserted: 72, updated: 0, unchanged: 0, success: 3, empty: 1, failed: 1 });
    }
    const rows = await db.sql<{ site: string; hour: number; generation: number | null; fill_method: string }[]>`
      select site, extract(hour from datetime at time zone 'Asia/Seoul')::int as hour, generation, fill_method
      from public.toy_generation where datetime >= ${`${START}T00:00:00+09:00`} and datetime < ${`${START}T24:00:00+09:00`} order by site, datetime`;
    expect(rows).toHaveLength(48);
    for (const r of rows) expect([r.site, r.hour, r.generation]).toEqual([r.site, r.hour, toyReading(r.site, START, r.hour)]);
    const gap = rows.find((r) => r.site === "site-b" && r.hour === TOY_GAP_HOUR);
    expect(gap).toMatchObject({ generation: null, fill_method: "none" });
    const raw = await db.sql`select partition, outcome, error from raw.toy_readings where run_id = 'toy-1' and site = 'site-a' order by partition`;
    expect(raw.map((r) => [r.partition, r.outcome])).toEqual([
      ["2024-06-01|site-a", "data"], ["2024-06-02|site-a", "data"], [`${TOY_DAY_FAILING}|site-a`, "failed"], [`${TOY_DAY_EMPTY}|site-a`, "empty"], ["2024-06-05|site-a", "data"],
    ]);
    expect(raw[2].error).toMatch(/HTTP 500/);
    // Its declared check judged every site-day it loaded: site-b misses one hour a day.
    const [a, b] = chunks.map((c) => c.checked);
    expect(a).toMatchObject({ asset: "toy/hourly", failed: 1 }); // the empty day has no hour
    expect(b.failures.map((f) => [f.check_name, f.day, f.message])).toEqual(
      expect.arrayContaining([["completeness", START, `23/24 hours measured; missing ${TOY_GAP_HOUR}:00`]]),
    );
  });

  it("status counts its partitions like any asset's; the failed day is planned again and only it is fetched", async () => {
    const status = await collectStatus(db.sql, { assets: [toyRaw, toyHourly], start: START, end: END });
    expect(status.map((s) => [s.asset, s.counts])).toEqual([
      ["toy/raw", { materialized: 8, stale: 0, failed: 2, missing: 0 }],
      ["toy/hourly", { materialized: 8, stale: 0, failed: 2, missing: 0 }],
    ]);
    expect(status[1].checks?.failing).toBeGreaterThan(0);
    expect(renderStatus(status, { start: START, end: END }, false)).toMatch(/toy\/hourly +██✗██ +materialized 8 \(2 empty at source\), stale 0, failed 2, missing 0 of 10/);
    const before = server.requests.length;
    const { plan, chunks } = await backfill("toy-2", "failed");
    expect(plan.chunks.map((c) => [c.pdim, c.start, c.end])).toEqual([["site-a", TOY_DAY_FAILING, TOY_DAY_FAILING], ["site-b", TOY_DAY_FAILING, TOY_DAY_FAILING]]);
    expect(server.requests.slice(before)).toEqual([`site-a ${TOY_DAY_FAILING}`, `site-b ${TOY_DAY_FAILING}`]);
    for (const c of chunks) expect(c.ingested).toMatchObject({ partitions: 1, failed: 1, inserted: 0 });
  });

  it("an identical reload fetches again on policy all and changes no served row", async () => {
    const before = await db.sql`select site, datetime, xmin::text as x from public.toy_generation order by 1, 2`;
    const { chunks } = await backfill("toy-3", "all");
    for (const c of chunks) expect(c.ingested).toMatchObject({ inserted: 0, updated: 0, unchanged: 72 });
    expect(await db.sql`select site, datetime, xmin::text as x from public.toy_generation order by 1, 2`).toEqual(before);
  });
});
