// The checks of a chunk cost what the chunk's rows cost, whatever the size of the serving table:
// the statement run_checks.ts sends for a chunk (the real one, built by chunkStatement) is
// EXPLAINed on serving tables of ~100,000 rows each, analyzed: no sequential scan of a serving
// table, the rows are read through its primary key with the unit and constant datetime bounds,
// and (EXPLAIN ANALYZE, rolled back) no more rows are read than the chunk and its look-back hold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import type { SubjectCheckSpec } from "../../f/lib/quality/check_spec.ts";
import { buildSubjects, chunkStatement } from "../../f/lib/quality/run_checks.ts";
import type { Pool } from "../../f/lib/db/resource.ts";
import { addDays } from "../../f/lib/time/kst.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { markMaterialized } from "../helpers/quality.ts";

let db: TestDb;
const FIRST = "2023-01-01";
const DAYS = 240;
const SERVING = ["nambu_generation", "namdong_generation", "weather_asos"];

beforeAll(async () => {
  db = await createTestDb();
  // ~100 k rows per serving table: every unit (station) of the reference data, 240 days × 24 h.
  await db.sql`
    insert into public.nambu_generation (datetime, gencd, hogi, generation, daily_total, generation_filled, fill_method)
    select t, p.gencd, p.hogi, v, 500, v, 'measured'
    from public.nambu_plants p
    cross join generate_series(${FIRST}::date::timestamp at time zone 'Asia/Seoul', (${FIRST}::date + ${DAYS - 1}::int)::timestamp at time zone 'Asia/Seoul' + interval '23 hours', interval '1 hour') t
    cross join lateral (select greatest(0, 50 * sin(pi() * (extract(hour from t at time zone 'Asia/Seoul') - 6) / 12))::float8 as v) x`;
  await db.sql`
    insert into public.namdong_generation (datetime, plant_name, hogi, hour, generation, daily_total, generation_filled, fill_method)
    select t, p.plant_name, p.hogi, extract(hour from t at time zone 'Asia/Seoul')::int + 1, v, 500, v, 'measured'
    from public.namdong_plants p
    cross join generate_series(${FIRST}::date::timestamp at time zone 'Asia/Seoul', (${FIRST}::date + ${DAYS - 1}::int)::timestamp at time zone 'Asia/Seoul' + interval '23 hours', interval '1 hour') t
    cross join lateral (select greatest(0, 50 * sin(pi() * (extract(hour from t at time zone 'Asia/Seoul') - 6) / 12))::float8 as v) x`;
  await db.sql`
    insert into public.weather_asos (datetime, stn_id, ta, hm, pa, ps, td, rn, ws, wd, ss, icsr)
    select t, s.stn_id, 20, 60, 1000, 1010, 12, null, 2, 180, 0.5, 1
    from (select stn_id from public.asos_stations order by stn_id limit 18) s
    cross join generate_series(${FIRST}::date::timestamp at time zone 'Asia/Seoul', (${FIRST}::date + ${DAYS - 1}::int)::timestamp at time zone 'Asia/Seoul' + interval '23 hours', interval '1 hour') t`;
  for (const t of SERVING) await db.sql.unsafe(`analyze public.${t}`);
}, 300_000);

afterAll(async () => {
  await db?.drop();
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

const flatten = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(flatten)];

/** `generic`: the plan made without the parameters' values, as run_checks.ts runs the statement. */
async function plan(sql: Pool, text: string, params: unknown[], mode: "custom" | "generic" | "analyze"): Promise<PlanNode[]> {
  // EXPLAIN ANALYZE executes the statement (it records results): inside a transaction rolled back.
  let nodes: PlanNode[] = [];
  const options = { custom: "", generic: "generic_plan, ", analyze: "analyze, buffers, " }[mode];
  await sql
    .begin(async (tx) => {
      const rows = (await tx.unsafe(`explain (${options}format json) ${text}`, (mode === "generic" ? [] : params) as never[])) as unknown as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      nodes = flatten(rows[0]["QUERY PLAN"][0].Plan);
      throw new Error("rollback");
    })
    .catch((e) => {
      if ((e as Error).message !== "rollback") throw e;
    });
  return nodes;
}

const CASES: { asset: AssetDef; pdims: string[] | null; what: string; table: string; units: number }[] = [
  { asset: kospoHourly, pdims: ["9985-1"], what: "a KOSPO chunk (31 days of one unit)", table: "nambu_generation", units: 1 },
  { asset: asosHourly, pdims: ["108"], what: "an ASOS chunk (31 days of one station)", table: "weather_asos", units: 1 },
  { asset: koenHourly, pdims: null, what: "a KOEN month (every unit)", table: "namdong_generation", units: 23 },
];

describe("the checks of a chunk read only the chunk's rows, through the primary key", () => {
  it.each(CASES)("$what", async ({ asset, pdims, table, units }) => {
    const model = asset.fillModel!;
    const checks = (asset.checks ?? []).filter((c): c is SubjectCheckSpec => c.kind === "subject");
    expect(checks.length).toBeGreaterThan(0);
    const start = model.partitioning.kind === "monthly" ? "2023-05-01" : "2023-05-10";
    const end = model.partitioning.kind === "monthly" ? "2023-05-31" : addDays(start, 30);
    const partitions = model.partitioning.kind === "monthly" ? [start] : Array.from({ length: 31 }, (_, i) => `${addDays(start, i)}|${pdims![0]}`);
    await markMaterialized(db.sql, asset.key, partitions);
    const subjects = await buildSubjects(db.sql, model, { start, end }, pdims);
    expect(subjects).toHaveLength(31 * units);
    const st = chunkStatement(asset.key, model, checks, subjects, { units: null, runId: "plan-test" });
    const [{ n: tableRows }] = await db.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from public.${table}`);
    expect(tableRows).toBeGreaterThan(90_000);

    // Planned for these values, and planned once for any (the generic plan the checks step runs).
    for (const mode of ["custom", "generic"] as const) {
      const nodes = await plan(db.sql, st.text, st.params, mode);
      const reads = nodes.filter((n) => n["Relation Name"] && SERVING.includes(n["Relation Name"]));
      expect(reads.length, mode).toBeGreaterThan(0);
      expect(reads.filter((n) => n["Node Type"] === "Seq Scan"), mode).toEqual([]);
      for (const n of reads) {
        expect(n["Relation Name"]).toBe(table);
        // An index scan of the primary key, or a bitmap scan whose index scans are of the primary key.
        const scans = n["Node Type"] === "Bitmap Heap Scan" ? (n.Plans ?? []) : [n];
        expect(scans.length).toBeGreaterThan(0);
        for (const i of scans) {
          expect([i["Node Type"], i["Index Name"]], mode).toEqual([n["Node Type"] === "Bitmap Heap Scan" ? "Bitmap Index Scan" : "Index Scan", `${table}_pkey`]);
          // The unit and both datetime bounds in the index condition (bounds as row comparisons on the key).
          expect(i["Index Cond"], mode).toMatch(/ROW\(.*datetime\) >= ROW\(/);
          expect(i["Index Cond"], mode).toMatch(/ROW\(.*datetime\) < ROW\(/);
        }
      }
    }

    // Executed: the rows read are the chunk's (plus the 30 look-back days of repeated_daily_total).
    const actual = await plan(db.sql, st.text, st.params, "analyze");
    const read = actual
      .filter((n) => n["Relation Name"] === table)
      .reduce((a, n) => a + (n["Actual Rows"] ?? 0) * (n["Actual Loops"] ?? 1), 0);
    const lookback = Math.max(0, ...checks.map((c) => c.lookbackDays ?? 0));
    expect(read).toBeGreaterThanOrEqual(31 * 24 * units);
    expect(read).toBeLessThanOrEqual((31 + lookback) * 24 * units);
    // …and the index is entered at the chunk's first row and left after its last: a few pages per
    // unit and range (root, inner, the leaves of ≤ 31 days), not every index page of the unit.
    const indexScans = actual.filter((n) => n["Index Name"] === `${table}_pkey`);
    expect(indexScans.length).toBeGreaterThan(0);
    for (const n of indexScans) {
      const pages = (n["Shared Hit Blocks"] ?? 0) + (n["Shared Read Blocks"] ?? 0);
      const loops = n["Actual Loops"] ?? 1;
      expect(pages / loops, `${n["Node Type"]} pages per loop`).toBeLessThanOrEqual(20);
    }
  });
});
