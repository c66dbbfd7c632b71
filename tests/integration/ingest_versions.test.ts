// The data version the ingest's one statement computes (from the rows and the rows served before,
// without reading back) against the truth: the hash of what each partition serves afterwards, read
// from the serving table itself — for every source's table, across a fresh load, a load whose NULLs
// must keep the measured values and whose other values change, and an identical load.
import { describe, expect, it } from "vitest";
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { LoadedAsset } from "../../f/lib/assets/graph.ts";
import type { CopyValue } from "../../f/lib/db/copy.ts";
import { ingestRows } from "../../f/lib/load/ingest.ts";
import { ident, qualifiedName, type ServingTable } from "../../f/lib/sources/serving_table.ts";
import { lockPartitions } from "../../f/lib/store/partition_locks.ts";
import { startRun } from "../../f/lib/store/runs.ts";
import { fileTestDb } from "../helpers/db.ts";

const db = fileTestDb();

interface Case {
  asset: LoadedAsset;
  /** Partition of day d (0-based from 2024-06-01) and the key's unit values by column. */
  partition: (d: number) => string;
  unit: Record<string, CopyValue>;
}

const CASES: Case[] = [
  { asset: kospoHourly, partition: (d) => `2024-06-0${d + 1}|T01-1`, unit: { gencd: "T01", hogi: 1 } },
  { asset: koenHourly, partition: () => "2024-06-01", unit: { plant_name: "시험태양광", hogi: 2 } },
  { asset: asosHourly, partition: (d) => `2024-06-0${d + 1}|108`, unit: { stn_id: 108 } },
];

const TEXT = new Set(["plant_name", "station_name"]);
const INT = new Set(["hour", "hour_label"]);

/** Load `pass` (0 fresh, 1 NULLs and changes, 2 as 1) of 2 days × 24 h in the table's stage columns. */
function rowsOf(c: Case, pass: number): CopyValue[][] {
  const t = c.asset.source.table;
  const out: CopyValue[][] = [];
  for (let d = 0; d < 2; d++) {
    for (let h = 0; h < 24; h++) {
      const at = new Date(Date.UTC(2024, 5, 1 + d, h - 9));
      out.push([c.partition(d), ...t.stageColumns.map((col, i): CopyValue => {
        if (col in c.unit) return c.unit[col];
        if (col === "datetime") return at;
        if (INT.has(col)) return h + 1;
        if (TEXT.has(col)) return pass === 1 && h === 3 ? null : "이름";
        if (pass >= 1 && (h + i) % 5 === 0) return null; // NULL later: the measured value stays
        if (pass >= 1 && (h + i) % 7 === 0) return (h * 10 + i) / 4 + 1; // changed
        return (h % 6 === 0 ? null : (h * 10 + i) / 4); // some never measured
      })]);
    }
  }
  return out;
}

/** The truth: each partition's rows and hash, read from the serving table after the load. */
async function servedVersions(t: ServingTable, c: Case): Promise<Record<string, { rows: number; version: string }>> {
  const key = t.key.map(ident).join(", ");
  const partitions = [...new Set([0, 1].map(c.partition))];
  const out: Record<string, { rows: number; version: string }> = {};
  for (const p of partitions) {
    const keys = rowsOf(c, 0).filter((r) => r[0] === p).map((r) => Object.fromEntries(t.key.map((k) => [k, r[1 + t.stageColumns.indexOf(k)]])));
    const [v] = await db.sql.unsafe<{ rows: number; version: string }[]>(
      `select count(*)::int as rows, left(md5(string_agg(${t.version.row}, ',' order by ${t.version.order.map((o) => `g.${ident(o)}`).join(", ")})), 16) as version
       from ${qualifiedName(t.name)} g
       join jsonb_to_recordset($1::text::jsonb) as k(${t.key.map((k) => `${ident(k)} ${k === "datetime" ? "timestamptz" : typeof keys[0][k] === "number" ? "int" : "text"}`).join(", ")}) using (${key})`,
      [JSON.stringify(keys)] as never[],
    );
    out[p] = v;
  }
  return out;
}

async function recorded(c: Case): Promise<Record<string, { rows: number; version: string }>> {
  const rows = await db.sql<{ partition: string; rows: number; version: string }[]>`
    select partition, row_count as rows, data_version as version from ops.asset_partitions
    where asset = ${c.asset.key} order by partition`;
  return Object.fromEntries(rows.map((r) => [r.partition, { rows: r.rows, version: r.version }]));
}

describe("data versions computed by the upsert equal the hash of what is served afterwards", () => {
  for (const c of CASES) {
    it(`${c.asset.key}: fresh, NULLs and changes, identical`, async () => {
      const seen = new Set<string>();
      for (const pass of [0, 1, 2]) {
        const runId = `${c.asset.key}-${pass}`;
        await startRun(db.sql, { runId, flow: "test", engine: "local", inputs: {} });
        const partitions = [...new Set([0, 1].map(c.partition))];
        const r = await db.sql.begin(async (tx) => {
          await lockPartitions(tx, c.asset.key, partitions);
          return ingestRows(tx as never, c.asset, runId, partitions, partitions.map((partition) => ({ partition, status: "success", error: null })), rowsOf(c, pass));
        });
        expect(r.rows).toBe(48);
        if (pass === 0) expect(r).toMatchObject({ inserted: 48, updated: 0 });
        if (pass === 1) expect(r.updated).toBeGreaterThan(0);
        if (pass === 2) expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 48 });
        const truth = await servedVersions(c.asset.source.table, c);
        expect(Object.values(truth).reduce((a, v) => a + v.rows, 0)).toBe(48);
        expect(await recorded(c)).toEqual(truth);
        for (const v of Object.values(truth)) seen.add(v.version);
      }
      // pass 1 changed what is served, pass 2 did not: versions moved once per partition
      expect(seen.size).toBe(2 * new Set([0, 1].map(c.partition)).size);
    });
  }
});

describe("a chunk some of whose keys are served already goes through the upsert, row by row", () => {
  for (const c of CASES) {
    it(`${c.asset.key}: first day served, then both days with changes`, async () => {
      const t = c.asset.source.table;
      await db.sql.unsafe(`truncate ${qualifiedName(t.name)}`);
      const partitions = [...new Set([0, 1].map(c.partition))];
      const ingest = async (runId: string, rows: CopyValue[][]) => {
        await startRun(db.sql, { runId, flow: "test", engine: "local", inputs: {} });
        const parts = [...new Set(rows.map((r) => r[0] as string))];
        return db.sql.begin(async (tx) => {
          await lockPartitions(tx, c.asset.key, parts);
          return ingestRows(tx as never, c.asset, runId, parts, parts.map((partition) => ({ partition, status: "success", error: null })), rows);
        });
      };
      const first = await ingest(`${c.asset.key}-part-0`, rowsOf(c, 0).slice(0, 24));
      expect(first).toMatchObject({ inserted: 24, updated: 0 });
      const both = await ingest(`${c.asset.key}-part-1`, rowsOf(c, 1));
      // The second day's 24 keys are new; of the first day's, the changed ones are updated.
      expect(both.inserted).toBe(24);
      expect(both.updated).toBeGreaterThan(0);
      expect(both.inserted + both.updated + both.unchanged).toBe(48);
      const truth = await servedVersions(t, c);
      expect(Object.values(truth).reduce((a, v) => a + v.rows, 0)).toBe(48);
      const rec = await recorded(c);
      for (const p of partitions) expect(rec[p]).toEqual(truth[p]);
    });
  }
});
