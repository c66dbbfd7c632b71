// raw → weather_asos (the ingest step's function) at the SQL level: "" as NULL, NULL never erases a stored value,
// unchanged re-ingest updates zero rows, the impute columns are kept consistent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asosHourly } from "../../f/lib/assets/catalog.ts";
import { ingestChunk } from "../../f/lib/load/ingest.ts";
import { insertAsosItems } from "../../f/lib/sources/asos/raw_store.ts";
import { fileTestDb } from "../helpers/db.ts";

const db = fileTestDb();

const DAY = "2024-06-01";
const hourItem = (h: number, over: Record<string, string> = {}) => ({
  tm: `${DAY} ${String(h).padStart(2, "0")}:00`, rnum: String(h + 1), stnId: "108", stnNm: "서울",
  ta: "20.5", rn: "", ws: "1.2", wd: "250", hm: "70", pv: "16.9", td: "14.9", pa: "1003.1", ps: "1012.0",
  ss: h >= 6 && h <= 19 ? "0.5" : "", icsr: h >= 6 && h <= 19 ? "1.25" : "", dsnw: "", hr3Fhsc: "",
  dc10Tca: "5", dc10LmcsCa: "3", lcsCh: "12", vs: "1800", ts: "-", ...over,
});
const dayItems = (over: (h: number) => Record<string, string> = () => ({})) => Array.from({ length: 24 }, (_, h) => hourItem(h, over(h)));

const PARTITION = `${DAY}|108`;
const CHUNK = { pdim: "108", start: DAY, end: DAY };

async function load(runId: string, items: Record<string, string>[]) {
  await insertAsosItems(db.sql, runId, [{ partition: PARTITION, outcome: "data", payload: { stn_id: 108, ymd: DAY, items }, rows: items.length, version: null, error: null }]);
  const ingested = await ingestChunk(db.sql, asosHourly, runId, CHUNK);
  return { ingested };
}

const row = async (h: number) => {
  const [r] = await db.sql`select * from weather_asos where stn_id = 108 and datetime = ${new Date(`${DAY}T${String(h).padStart(2, "0")}:00:00+09:00`)}`;
  return r;
};

describe("weather_asos ingest", () => {
  it('stores every hour at tm with "" and "-" as NULL, never 0, and records the materialization', async () => {
    const { ingested } = await load("run-1", dayItems());
    expect(ingested).toMatchObject({ partitions: 1, rows: 24, inserted: 24, updated: 0, unchanged: 0, success: 1 });
    const night = await row(2);
    expect(night).toMatchObject({ ta: 20.5, rn: null, icsr: null, ss: null, ts: null, dsnw: null, station_name: "서울" });
    expect(night.icsr_filled).toBeNull();
    expect(night.fill_methods).toEqual({ ta: "measured", hm: "measured", ps: "measured", pa: "measured", td: "measured", ws: "measured" });
    const noon = await row(12);
    expect(noon).toMatchObject({ icsr: 1.25, icsr_filled: 1.25, ss: 0.5, ta_filled: 20.5 });
    expect(noon.fill_methods.icsr).toBe("measured");
    const [m] = await db.sql`select status, row_count, data_version from ops.asset_partitions where asset = 'asos/hourly' and partition = ${PARTITION}`;
    expect(m).toMatchObject({ status: "success", row_count: 24 });
    expect(m.data_version).toMatch(/^[0-9a-f]{16}$/);
    const [stage] = await db.sql`select count(*)::int as n from stage.asos_hourly`;
    expect(stage.n).toBe(0); // rows go to the serving table only (the load table is the transaction's)
  });

  it("an identical re-ingest updates zero rows", async () => {
    const before = await db.sql`select datetime, xmin::text as x from weather_asos order by 1`;
    const { ingested } = await load("run-2", dayItems());
    expect(ingested).toMatchObject({ inserted: 0, updated: 0, unchanged: 24 });
    expect(await db.sql`select datetime, xmin::text as x from weather_asos order by 1`).toEqual(before);
  });

  it("a re-fetch lacking icsr (or any value) keeps the stored one, and changes nothing", async () => {
    const before = await db.sql`select datetime, xmin::text as x from weather_asos order by 1`;
    const { ingested } = await load("run-3", dayItems(() => ({ icsr: "", ta: "", hm: "-" })));
    expect(ingested).toMatchObject({ inserted: 0, updated: 0 });
    expect(await row(12)).toMatchObject({ icsr: 1.25, ta: 20.5, hm: 70 });
    expect(await db.sql`select datetime, xmin::text as x from weather_asos order by 1`).toEqual(before);
  });

  it("a corrected value replaces the stored one; imputed values survive until a measurement arrives", async () => {
    // What impute will do: fill a NULL field and say how.
    await db.sql`update weather_asos set rn_filled = 0, fill_methods = fill_methods || '{"rn": "night_zero"}'
      where stn_id = 108 and rn is null`;
    const { ingested } = await load("run-4", dayItems((h): Record<string, string> => (h === 12 ? { ta: "21.0", rn: "0.5" } : {})));
    expect(ingested).toMatchObject({ inserted: 0, updated: 1 });
    const noon = await row(12);
    expect(noon).toMatchObject({ ta: 21, ta_filled: 21, rn: 0.5, rn_filled: 0.5 });
    expect(noon.fill_methods.rn).toBe("measured");
    const other = await row(13);
    expect(other).toMatchObject({ rn: null, rn_filled: 0 });
    expect(other.fill_methods.rn).toBe("night_zero");
  });

  it("deduplicates hours within a payload (keep one) instead of failing the upsert", async () => {
    const items = [...dayItems(), hourItem(5)];
    const { ingested } = await load("run-5", items);
    expect(ingested.partitions).toBe(1);
    const [{ n }] = await db.sql`select count(*)::int as n from weather_asos where stn_id = 108`;
    expect(n).toBe(24);
  });
});
