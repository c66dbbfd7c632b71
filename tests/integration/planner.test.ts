import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import { daily, dynamicKeys, monthly, product } from "../../f/lib/assets/partitions.ts";
import { planChunks } from "../../f/lib/planner/plan.ts";
import { recordMaterializations } from "../../f/lib/store/record_materializations.ts";
import { statusCounts } from "../../f/lib/store/status_counts.ts";
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import { syncAssetCatalog } from "../../f/lib/store/asset_catalog.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";

const raw: AssetDef = { key: "t/raw", description: "", deps: [], partitions: product(daily("2024-01-01"), dynamicKeys("u")), codeVersion: "1", step: "f/pv/x" };
const hourly: AssetDef = { ...raw, key: "t/hourly", deps: ["t/raw"] };
const month: AssetDef = { key: "t/month", description: "", deps: [], partitions: monthly("2024-01-01"), codeVersion: "1", step: "f/pv/x" };
const other: AssetDef = { ...raw, key: "t/other" };
const joined: AssetDef = { ...raw, key: "t/joined", deps: ["t/raw", "t/other"] };
const units = [{ key: "A-1" }, { key: "B-2", from: "2024-06-03" }];

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  // The database knows the graph (staleness is judged in SQL from each partition's upstream_at).
  await syncAssetCatalog(db.sql, [...ASSETS, raw, hourly, month, other, joined]);
});
afterAll(async () => db?.drop());

const mat = (asset: AssetDef, partition: string, status: "success" | "empty" | "failed", codeVersion = "1") => ({
  asset: asset.key, partition, status, rowCount: status === "success" ? 24 : 0, dataVersion: null, codeVersion,
});

describe("planner", () => {
  it("plans contiguous chunks per unit, bounded in length, respecting each unit's first day", async () => {
    const chunks = await planChunks(db.sql, { asset: hourly, start: "2024-06-01", end: "2024-06-10", dims: units, policy: "missing", maxChunk: 4 });
    expect(chunks.filter((c) => c.pdim === "A-1").map((c) => [c.start, c.end])).toEqual([
      ["2024-06-01", "2024-06-04"], ["2024-06-05", "2024-06-08"], ["2024-06-09", "2024-06-10"],
    ]);
    expect(chunks.filter((c) => c.pdim === "B-2").map((c) => [c.start, c.end])).toEqual([
      ["2024-06-03", "2024-06-06"], ["2024-06-07", "2024-06-10"],
    ]);
  });

  it("splits at materialized days and selects by policy", async () => {
    await recordMaterializations(db.sql, "run-1", [
      mat(hourly, "2024-06-02|A-1", "success"),
      mat(hourly, "2024-06-03|A-1", "failed"),
      mat(hourly, "2024-06-04|A-1", "empty"),
    ]);
    const q = { asset: hourly, start: "2024-06-01", end: "2024-06-06", dims: [{ key: "A-1" }], maxChunk: 31 };
    const missing = await planChunks(db.sql, { ...q, policy: "missing" });
    expect(missing.map((c) => [c.start, c.end])).toEqual([["2024-06-01", "2024-06-01"], ["2024-06-05", "2024-06-06"]]);
    const failed = await planChunks(db.sql, { ...q, policy: "failed" });
    expect(failed.map((c) => [c.start, c.end])).toEqual([["2024-06-03", "2024-06-03"]]);
    const both = await planChunks(db.sql, { ...q, policy: "missing+failed" });
    expect(both.map((c) => [c.start, c.end])).toEqual([["2024-06-01", "2024-06-01"], ["2024-06-03", "2024-06-03"], ["2024-06-05", "2024-06-06"]]);
    const all = await planChunks(db.sql, { ...q, policy: "all" });
    expect(all.map((c) => [c.start, c.end])).toEqual([["2024-06-01", "2024-06-06"]]);
  });

  it("plans included keys whatever their status, and never outside the range or a unit's first day", async () => {
    // Uses the June partitions of the test above: 06-02 success, 06-03 failed, 06-04 empty.
    const q = { asset: hourly, start: "2024-06-01", end: "2024-06-06", dims: units, maxChunk: 31 };
    const failedPlus = await planChunks(db.sql, { ...q, policy: "failed", include: ["2024-06-04|A-1", "2024-06-06|A-1", "2024-06-02|B-2", "2024-06-09|A-1"] });
    expect(failedPlus.map((c) => [c.pdim, c.start, c.end, c.partitions])).toEqual([
      ["A-1", "2024-06-03", "2024-06-04", 2], ["A-1", "2024-06-06", "2024-06-06", 1],
    ]);
    const missingPlus = await planChunks(db.sql, { ...q, policy: "missing", include: ["2024-06-02|A-1"] });
    expect(missingPlus.filter((c) => c.pdim === "A-1").map((c) => [c.start, c.end])).toEqual([["2024-06-01", "2024-06-02"], ["2024-06-05", "2024-06-06"]]);
    expect(missingPlus.filter((c) => c.pdim === "B-2").map((c) => [c.start, c.end])).toEqual([["2024-06-03", "2024-06-06"]]);
    // A unit whose first day is after the range has no expected partition at all.
    const late = await planChunks(db.sql, { ...q, dims: [{ key: "C-1", from: "2024-07-01" }], policy: "all" });
    expect(late).toEqual([]);
    const lateStatus = await statusCounts(db.sql, { ...q, dims: [{ key: "C-1", from: "2024-07-01" }] });
    expect(lateStatus.total).toBe(0);
    // Status over both units: A-1 from 06-01, B-2 from 06-03 → 6 + 4 expected, the bar per day.
    const s = await statusCounts(db.sql, q);
    expect(s.total).toBe(10);
    expect(s.counts).toEqual({ materialized: 2, stale: 0, failed: 1, missing: 7 });
    expect(s.bar.map((b) => `${b.pdate.slice(8)}:${b.status}`)).toEqual(["01:missing", "02:materialized", "03:failed", "04:missing", "05:missing", "06:missing"]);
  });

  it("a missing plan: partitions before a unit's first day cut nothing, at the range's edges or inside; a unit listed twice is planned once", async () => {
    await recordMaterializations(db.sql, "run-edges", [
      mat(hourly, "2024-11-01|B-2", "success"), // before B-2's first day (11-03)
      mat(hourly, "2024-11-02|B-2", "success"),
      mat(hourly, "2024-11-05|B-2", "success"),
      mat(hourly, "2024-11-01|A-1", "success"), // the range's first and last days
      mat(hourly, "2024-11-08|A-1", "failed"),
    ]);
    const q = { asset: hourly, start: "2024-11-01", end: "2024-11-08", policy: "missing", maxChunk: 31 };
    const plan = await planChunks(db.sql, { ...q, dims: [{ key: "B-2", from: "2024-11-03" }, { key: "A-1" }, { key: "B-2", from: "2024-11-03" }] });
    expect(plan.map((c) => [c.pdim, c.start, c.end, c.partitions])).toEqual([
      ["A-1", "2024-11-02", "2024-11-07", 6], ["B-2", "2024-11-03", "2024-11-04", 2], ["B-2", "2024-11-06", "2024-11-08", 3],
    ]);
    const counts = await statusCounts(db.sql, { ...q, dims: [{ key: "B-2", from: "2024-11-03" }, { key: "A-1" }] });
    expect(counts.counts.missing).toBe(plan.reduce((n, c) => n + c.partitions, 0));
  });

  it("with several upstream assets, the newest upstream materialization decides staleness", async () => {
    await recordMaterializations(db.sql, "run-j1", [mat(raw, "2024-09-01|A-1", "success"), mat(other, "2024-09-02|A-1", "success")]);
    await new Promise((r) => setTimeout(r, 5));
    await recordMaterializations(db.sql, "run-j2", [mat(joined, "2024-09-01|A-1", "success"), mat(joined, "2024-09-02|A-1", "success")]);
    await new Promise((r) => setTimeout(r, 5));
    await recordMaterializations(db.sql, "run-j3", [mat(other, "2024-09-01|A-1", "success")]);
    const q = { asset: joined, start: "2024-09-01", end: "2024-09-02", dims: [{ key: "A-1" }] };
    expect((await statusCounts(db.sql, q)).counts).toEqual({ materialized: 1, stale: 1, failed: 0, missing: 0 });
    expect((await planChunks(db.sql, { ...q, policy: "stale" })).map((c) => c.start)).toEqual(["2024-09-01"]);
  });

  it("marks partitions stale when the code version changes or upstream is newer", async () => {
    await recordMaterializations(db.sql, "run-2", [mat(hourly, "2024-07-01|A-1", "success"), mat(hourly, "2024-07-02|A-1", "success", "0")]);
    await new Promise((r) => setTimeout(r, 5));
    await recordMaterializations(db.sql, "run-3", [mat(raw, "2024-07-01|A-1", "success")]);
    const s = await statusCounts(db.sql, { asset: hourly, start: "2024-07-01", end: "2024-07-03", dims: [{ key: "A-1" }] });
    expect(s.counts).toEqual({ materialized: 0, stale: 2, failed: 0, missing: 1 });
    const stale = await planChunks(db.sql, { asset: hourly, start: "2024-07-01", end: "2024-07-03", dims: [{ key: "A-1" }], policy: "stale" });
    expect(stale.map((c) => [c.start, c.end])).toEqual([["2024-07-01", "2024-07-02"]]);
  });

  it("keeps upstream_at both ways, whatever a batch holds and however an attempt ends", async () => {
    const upstreamAt = async () => {
      const [r] = await db.sql<{ up: Date | null; raw: Date | null }[]>`
        select h.upstream_at as up, r.materialized_at as raw from ops.asset_partitions h
        left join ops.asset_partitions r on r.asset = 't/raw' and r.partition = h.partition
        where h.asset = 't/hourly' and h.partition = '2024-10-01|A-1'`;
      return r;
    };
    const q = { asset: hourly, start: "2024-10-01", end: "2024-10-01", dims: [{ key: "A-1" }] };
    // A partition and its upstream partition in one batch, the downstream one first.
    await recordMaterializations(db.sql, "run-u1", [mat(hourly, "2024-10-01|A-1", "success"), mat(raw, "2024-10-01|A-1", "success")]);
    const first = await upstreamAt();
    expect(first.up).toEqual(first.raw);
    expect((await statusCounts(db.sql, q)).counts.materialized).toBe(1);
    // A failed upstream attempt keeps its materialized_at: nothing downstream becomes stale.
    await new Promise((r) => setTimeout(r, 5));
    await recordMaterializations(db.sql, "run-u2", [mat(raw, "2024-10-01|A-1", "failed")]);
    expect(await upstreamAt()).toEqual(first);
    expect((await statusCounts(db.sql, q)).counts.materialized).toBe(1);
    // A newer upstream materialization reaches the downstream partition; its own rematerialization learns it too.
    await recordMaterializations(db.sql, "run-u3", [mat(raw, "2024-10-01|A-1", "success")]);
    const second = await upstreamAt();
    expect(second.up).toEqual(second.raw);
    expect(second.raw!.getTime()).toBeGreaterThan(first.raw!.getTime());
    expect((await statusCounts(db.sql, q)).counts.stale).toBe(1);
    await db.sql`update ops.asset_partitions set upstream_at = null where asset = 't/hourly' and partition = '2024-10-01|A-1'`;
    await recordMaterializations(db.sql, "run-u4", [mat(hourly, "2024-10-01|A-1", "success")]);
    expect((await upstreamAt()).up).toEqual(second.raw);
    expect((await statusCounts(db.sql, q)).counts.materialized).toBe(1);
  });

  it("a later failure keeps the partition's last good data version but reports failed", async () => {
    await recordMaterializations(db.sql, "run-4", [{ ...mat(hourly, "2024-08-01|A-1", "success"), dataVersion: "v1" }]);
    await recordMaterializations(db.sql, "run-5", [{ ...mat(hourly, "2024-08-01|A-1", "failed"), error: "boom" }]);
    const [ap] = await db.sql`select status, data_version, row_count, error, materialized_at is not null as had from ops.asset_partitions where asset = 't/hourly' and partition = '2024-08-01|A-1'`;
    expect(ap).toMatchObject({ status: "failed", data_version: "v1", row_count: 24, error: "boom", had: true });
    const events = await db.sql`select count(*)::int as n from ops.materializations where partition = '2024-08-01|A-1' and asset = 't/hourly'`;
    expect(events[0].n).toBe(2);
  });

  it("plans monthly assets in months", async () => {
    await recordMaterializations(db.sql, "run-6", [mat(month, "2024-03-01", "success")]);
    const chunks = await planChunks(db.sql, { asset: month, start: "2024-01-15", end: "2024-06-30", dims: null, policy: "missing", maxChunk: 2 });
    expect(chunks.map((c) => [c.start, c.end, c.partitions])).toEqual([
      ["2024-01-01", "2024-02-01", 2], ["2024-04-01", "2024-05-01", 2], ["2024-06-01", "2024-06-01", 1],
    ]);
  });

  it("status counts and the health bar cover every expected partition", async () => {
    const s = await statusCounts(db.sql, { asset: hourly, start: "2024-06-01", end: "2024-06-04", dims: [{ key: "A-1" }] });
    expect(s.total).toBe(4);
    expect(s.counts).toEqual({ materialized: 2, stale: 0, failed: 1, missing: 1 });
    expect(s.empty).toBe(1);
    expect(s.bar.map((b) => b.status)).toEqual(["missing", "materialized", "failed", "materialized"]);
  });

  it("rejects unknown policies", async () => {
    await expect(planChunks(db.sql, { asset: hourly, start: "2024-06-01", end: "2024-06-01", dims: units, policy: "everything" })).rejects.toThrow(/policy must be one of/);
  });
});
