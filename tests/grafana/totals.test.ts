// Grafana totals leave out what is unusable (DOMAIN §5.4): units graded 전면무효, and hours of
// units graded 시간별무효 (before hourly_valid_from when the unit has one), and show that energy
// apart, labelled. Five units over two days with hand-picked values; every panel target expanded
// as Grafana would and run as pv_grafana; the sums compared with the ones worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pvOverview } from "../../src/grafana/dashboards/pv_overview.ts";
import { at } from "../helpers/quality.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { becomeReader, expandDashboard, resolveVariables, run, type Reader } from "./harness.ts";

let db: TestDb;
let reader: Reader;
const D1 = "2025-06-30";
const D2 = "2025-07-01"; // 영흥태양광 #3's hourly_valid_from
const RANGE = { from: Date.parse(`${D1}T00:00:00+09:00`), to: Date.parse("2025-07-02T00:00:00+09:00") - 1 };

/** 8 daylight hours (08:00–15:00) at `kwh` each; `gap` hours are not measured (filled with `filled`). */
const day = (kwh: number, gap: number[] = []) => Array.from({ length: 24 }, (_, h) => (h >= 8 && h <= 15 && !gap.includes(h) ? kwh : h >= 8 && h <= 15 ? null : 0));

// KOSPO 9985-1 정상: 8 × 10 on D1 + 7 × 20 on D2 (12:00 missing, filled 25)  → usable 80 + 140 = 220, filled 25
// KOSPO 997S-1 시간별무효 (no hourly_valid_from): 8 × 5 + 8 × 5                → excluded 80
// KOEN 탑선태양광-1 전면무효: 8 × 7 + 7 × 7 (12:00 missing, filled 9)              → excluded 56 + 49 = 105 (its fill counts nowhere)
// KOEN 영흥태양광 #3-1 시간별무효 valid from D2: 8 × 3 on D1, 8 × 4 on D2         → excluded 24, usable 32
// KOEN 영흥태양광-1 정상: 8 × 2 + 8 × 2                                          → usable 32
const KOSPO = [
  { gencd: "9985", hogi: 1, days: { [D1]: day(10), [D2]: day(20, [12]) }, filled: 25 },
  { gencd: "997S", hogi: 1, days: { [D1]: day(5), [D2]: day(5) }, filled: 0 },
];
const KOEN = [
  { plant: "탑선태양광", hogi: 1, days: { [D1]: day(7), [D2]: day(7, [12]) }, filled: 9 },
  { plant: "영흥태양광 #3", hogi: 1, days: { [D1]: day(3), [D2]: day(4) }, filled: 0 },
  { plant: "영흥태양광", hogi: 1, days: { [D1]: day(2), [D2]: day(2) }, filled: 0 },
];

beforeAll(async () => {
  db = await createTestDb();
  const rows = (days: Record<string, (number | null)[]>, filled: number) =>
    Object.entries(days).flatMap(([d, values]) =>
      values.map((v, h) => ({ datetime: at(d, h).toISOString(), hour: h + 1, generation: v, generation_filled: v ?? filled, fill_method: v === null ? "linear" : "measured" })),
    );
  for (const u of KOSPO) {
    await db.sql`
      insert into nambu_generation (datetime, gencd, hogi, generation, generation_filled, fill_method)
      select datetime, ${u.gencd}, ${u.hogi}, generation, generation_filled, fill_method
      from jsonb_to_recordset(${db.sql.json(rows(u.days, u.filled) as never)}::jsonb) as t(datetime timestamptz, generation float8, generation_filled float8, fill_method text)`;
  }
  for (const u of KOEN) {
    await db.sql`
      insert into namdong_generation (datetime, plant_name, hogi, hour, generation, generation_filled, fill_method)
      select datetime, ${u.plant}, ${u.hogi}, hour, generation, generation_filled, fill_method
      from jsonb_to_recordset(${db.sql.json(rows(u.days, u.filled) as never)}::jsonb) as t(datetime timestamptz, hour int, generation float8, generation_filled float8, fill_method text)`;
  }
  reader = await db.sql.reserve();
  await becomeReader(reader);
  await reader.unsafe("set time zone 'UTC'");
});

afterAll(async () => {
  reader?.release();
  await db?.drop();
});

async function panelRows(title: string): Promise<Record<string, unknown>[]> {
  const variables = await resolveVariables(reader, pvOverview, RANGE);
  const targets = expandDashboard(pvOverview, variables, RANGE).filter((t) => t.panel.title === title);
  expect(targets, title).toHaveLength(1);
  return (await run(reader, targets[0].sql)).rows;
}

describe("PV overview totals exclude unusable units and hours", () => {
  it("the reference grades are the ones the sums assume", async () => {
    const grades = await reader<{ plant_id: string; data_quality: string; hourly_valid_from: string | null }[]>`
      select plant_id, data_quality, to_char(hourly_valid_from, 'YYYY-MM-DD') as hourly_valid_from from reporting.pv_plants
      where plant_id in ('kospo:9985-1', 'kospo:997S-1', 'koen:탑선태양광-1', 'koen:영흥태양광 #3-1', 'koen:영흥태양광-1') order by plant_id`;
    expect(grades.map((g) => [g.plant_id, g.data_quality, g.hourly_valid_from])).toEqual([
      ["koen:영흥태양광 #3-1", "시간별무효", D2],
      ["koen:영흥태양광-1", "정상", "1900-01-01"],
      ["koen:탑선태양광-1", "전면무효", null],
      ["kospo:997S-1", "시간별무효", null],
      ["kospo:9985-1", "정상", "1900-01-01"],
    ]);
  });

  it("energy by operator counts usable hours only; the excluded energy is its own, labelled panel", async () => {
    const energy = await panelRows("Energy by operator (measured)");
    expect(energy.map((r) => [r.operator, Number(r.energy_kwh)])).toEqual([
      ["KOEN 남동발전", 64],
      ["KOSPO 남부발전", 220],
    ]);
    const excluded = await panelRows("Excluded energy (unusable grade)");
    expect(excluded.map((r) => [r.operator, Number(r.excluded_kwh)])).toEqual([
      ["KOEN 남동발전", 129],
      ["KOSPO 남부발전", 80],
    ]);
    const filled = await panelRows("Gap-filled energy");
    expect(filled.map((r) => [r.operator, Number(r.filled_kwh)])).toEqual([
      ["KOEN 남동발전", 0],
      ["KOSPO 남부발전", 25],
    ]);
  });

  it("the map sizes plants by usable energy and shows the excluded energy beside it", async () => {
    const map = await panelRows("Plants — energy in the selected range");
    const byName = Object.fromEntries(map.map((r) => [String(r.name), [r.energy_kwh === null ? null : Number(r.energy_kwh), r.excluded_kwh === null ? null : Number(r.excluded_kwh)]]));
    expect(byName["영흥태양광 #3_1"]).toEqual([32, 24]);
    expect(byName["영흥태양광_1"]).toEqual([32, null]);
    expect(byName["탑선태양광_1"]).toEqual([null, 105]);
    // 9985-1 and 997S-1 share a site (and so a label prefix); told apart by their figures.
    const kospo = map.filter((r) => r.operator === "KOSPO 남부발전" && (r.energy_kwh !== null || r.excluded_kwh !== null));
    expect(kospo.map((r) => [r.energy_kwh === null ? null : Number(r.energy_kwh), r.excluded_kwh === null ? null : Number(r.excluded_kwh)])).toEqual([
      [220, null],
      [null, 80],
    ]);
  });

  it("daily series: unusable energy is a separate series named with its reason, never part of a plant's bars", async () => {
    const daily = await panelRows("Daily generation per plant");
    const series = (metric: string) =>
      daily.filter((r) => r.metric === metric).map((r) => [new Date(r.time as Date).getTime(), Number(r.value)]);
    expect(series("영흥태양광 #3_1")).toEqual([[Date.parse(`${D2}T00:00:00+09:00`), 32]]);
    expect(series(`영흥태양광 #3_1 (excluded: 시간별무효 before ${D2})`)).toEqual([[Date.parse(`${D1}T00:00:00+09:00`), 24]]);
    expect(series("탑선태양광_1 (excluded: 전면무효)")).toEqual([
      [Date.parse(`${D1}T00:00:00+09:00`), 56],
      [Date.parse(`${D2}T00:00:00+09:00`), 49],
    ]);
    expect(daily.filter((r) => r.metric === "탑선태양광_1" || r.metric === "탑선태양광_1 (filled)")).toEqual([]);
    // Σ of the plants' own (usable) bars = the operators' totals.
    const usable = daily.filter((r) => !/\((excluded: .*|filled)\)$/.test(String(r.metric))).reduce((a, r) => a + Number(r.value), 0);
    expect(usable).toBe(220 + 64);
  });
});
