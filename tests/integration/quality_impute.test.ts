// impute against a real database: crafted gaps in nambu_generation, weather_asos and
// namdong_generation get the documented methods, measured values stay byte-for-byte the same, and a
// re-run writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imputeAsset } from "../../f/lib/quality/impute.ts";
import { addDays, eachDay } from "../../f/lib/time/kst.ts";
import { fileTestDb } from "../helpers/db.ts";
import { at, markMaterialized, putKospoDay, putWeather, kospoRowsOf } from "../helpers/quality.ts";
import { kospoSimTruth, kospoSimValue } from "../../src/simulators/kospo.ts";

const db = fileTestDb();

const GAP_DAY = "2024-06-15";
const holes = (values: number[], hours: number[]) => values.map((v, h) => (hours.includes(h) ? null : v));

const rowsOf = (unit: string, day: string) => kospoRowsOf(db.sql, unit, day);

const measuredSnapshot = () =>
  db.sql`select gencd, hogi, datetime, generation::text as g, daily_total::text as t, generation_filled::text as f, fill_method, xmin::text as x
         from nambu_generation where generation is not null order by 1, 2, 3`;
const allXmin = () => db.sql`select gencd, hogi, datetime, xmin::text as x from nambu_generation order by 1, 2, 3`;

describe("impute: KOSPO PV", () => {
  beforeAll(async () => {
    // 9985-1 (Incheon area): a day with gaps after a week of history, then a day with nothing measured.
    for (const d of eachDay("2024-06-08", "2024-06-14")) await putKospoDay(db.sql, "9985-1", d, kospoSimValue("9985", 1, d));
    await putKospoDay(db.sql, "9985-1", GAP_DAY, holes(kospoSimValue("9985", 1, GAP_DAY), [0, 1, 2, 3, 8, 9, 10, 13, 14, 15, 16, 21, 22, 23]));
    await putKospoDay(db.sql, "9985-1", "2024-06-16", Array(24).fill(null));
    // 9988-1: no other day loaded at all (the first and last day of its range), a 5-hour daytime gap.
    await putKospoDay(db.sql, "9988-1", GAP_DAY, holes(kospoSimValue("9988", 1, GAP_DAY), [1, 9, 10, 11, 12, 13]));
    // 997S-1 is graded 시간별무효 (hourly values invalid): a night hole and a short daylight hole.
    await putKospoDay(db.sql, "997S-1", GAP_DAY, holes(kospoSimValue("997S", 1, GAP_DAY), [2, 11]));
  });

  /** Σ|fill − truth| ÷ Σ truth over some hours of a unit-day (the simulator's truth). */
  const errors = (unit: string, day: string, rows: { h: number; generation_filled: number | null }[], hours: number[]) => {
    const truth = hours.map((h) => kospoSimTruth(unit, day, h));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return { fill: sum(hours.map((h, i) => Math.abs(rows[h].generation_filled! - truth[i]))) / sum(truth) };
  };

  let before: unknown[];
  let first: Awaited<ReturnType<typeof imputeAsset>>;
  it("fills night hours with 0 and daytime gaps from the same day's clear-sky index, close to the truth", async () => {
    before = await measuredSnapshot();
    first = await imputeAsset(db.sql, { asset: "kospo/hourly", start: GAP_DAY, end: "2024-06-16", runId: "impute-test" });
    const rows = await rowsOf("9985-1", GAP_DAY);
    const method = (h: number) => rows[h].fill_method;
    for (const h of [0, 1, 2, 3, 21, 22, 23]) expect([h, method(h), rows[h].generation_filled]).toEqual([h, "night_zero", 0]);
    for (const h of [8, 9, 10, 13, 14, 15, 16]) expect([h, method(h)]).toEqual([h, "clear_sky_index"]);
    // A cloudy day whose sky changes inside both gaps: within the cloudy-day target of the simulator's truth.
    expect(errors("9985-1", GAP_DAY, rows, [8, 9, 10, 13, 14, 15, 16]).fill).toBeLessThan(0.15);
  });

  it("a day with nothing measured: night zeros, daylight left NULL (none) and reported as an unfilled gap", async () => {
    const whole = await rowsOf("9985-1", "2024-06-16");
    expect(whole.filter((r) => r.fill_method === "night_zero").map((r) => r.h)).toEqual([0, 1, 2, 3, 4, 20, 21, 22, 23]);
    expect(whole.filter((r) => r.fill_method === "none").map((r) => r.h)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(new Set(whole.filter((r) => r.fill_method === "none").map((r) => r.generation_filled))).toEqual(new Set([null]));
    expect(first.unfilled).toEqual({ gaps: 1, hours: 15, examples: [{ unit: "9985-1", day: "2024-06-16", start: "05:00", hours: 15, reason: "too_long" }] });
  });

  it("a unit with no other day loaded (first and last day of its range) is filled from that day alone", async () => {
    const rows = await rowsOf("9988-1", GAP_DAY);
    expect(rows[1]).toMatchObject({ fill_method: "night_zero", generation_filled: 0 });
    for (const h of [9, 10, 11, 12, 13]) expect([h, rows[h].fill_method]).toEqual([h, "clear_sky_index"]);
    expect(errors("9988-1", GAP_DAY, rows, [9, 10, 11, 12, 13]).fill).toBeLessThan(0.15);
  });

  it("a unit graded hourly-invalid gets night zeros only", async () => {
    const rows = await rowsOf("997S-1", GAP_DAY);
    expect(rows[2]).toMatchObject({ fill_method: "night_zero", generation_filled: 0 });
    expect(rows[11]).toMatchObject({ fill_method: "none", generation_filled: null });
  });

  it("measured values are unchanged byte for byte (not even rewritten), and every filled value is explained", async () => {
    expect(await measuredSnapshot()).toEqual(before);
    const [bad] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from nambu_generation
      where (generation is null and fill_method = 'measured') or (generation is not null and (fill_method <> 'measured' or generation_filled <> generation))
         or (generation is null and generation_filled is not null and fill_method = 'none')`;
    expect(bad.n).toBe(0);
    // NULL is left only in the whole missing day's daylight and at the invalid unit.
    const left = await db.sql<{ gencd: string; n: number }[]>`
      select gencd, count(*)::int as n from nambu_generation where generation_filled is null group by 1 order by 1`;
    expect(left).toEqual([{ gencd: "997S", n: 1 }, { gencd: "9985", n: 15 }]);
    expect(first).toMatchObject({ asset: "kospo/hourly", units: 3, inserted: 0, skipped: [] });
    // 9985-1 and 9988-1 share a site, but neither was measured through the other's gaps: no sibling shape.
    expect(first.methods).toEqual({ night_zero: 7 + 9 + 1 + 1, sibling_csi: 0, station_csi: 0, clear_sky_index: 7 + 5, linear: 0, spline: 0, profile: 0, none: 15 + 1 });
    expect(first.updated).toBe(7 + 9 + 1 + 1 + 7 + 5);
  });

  it("is idempotent: a second run updates nothing and leaves every row as it was", async () => {
    const x = await allXmin();
    const again = await imputeAsset(db.sql, { asset: "kospo/hourly", start: GAP_DAY, end: "2024-06-16" });
    expect(again.updated).toBe(0);
    expect(again.unchanged).toBe(3 * 24 + 24);
    expect(again.unfilled).toEqual(first.unfilled);
    expect(again.methods).toEqual(first.methods);
    expect(await allXmin()).toEqual(x);
  });

  it("a value measured later replaces the fill (ingest), and impute then leaves it alone", async () => {
    await db.sql`update nambu_generation set generation = 42, generation_filled = 42, fill_method = 'measured'
                 where gencd = '9985' and hogi = 1 and datetime = ${at(GAP_DAY, 9)}`;
    const r = await imputeAsset(db.sql, { asset: "kospo/hourly", start: GAP_DAY, end: GAP_DAY, pdims: ["9985-1"] });
    const rows = await rowsOf("9985-1", GAP_DAY);
    expect(rows[9]).toMatchObject({ generation: 42, generation_filled: 42, fill_method: "measured" });
    // The neighbours of the now shorter gaps were filled again, anchored on the new value: 08:00 in the
    // shape of 9988-1 (same site, measured at 08:00), 10:00 from the unit's own clear-sky index (9988-1
    // has its own gap there).
    expect(rows[8].fill_method).toBe("sibling_csi");
    expect(rows[10].fill_method).toBe("clear_sky_index");
    expect(r.updated).toBeGreaterThan(0);
  });

  it("skips the partitions it is told to skip, and says so", async () => {
    await putKospoDay(db.sql, "9985-1", "2024-06-14", holes(kospoSimValue("9985", 1, "2024-06-14"), [12]));
    const r = await imputeAsset(db.sql, { asset: "kospo/hourly", start: "2024-06-14", end: "2024-06-14", pdims: ["9985-1"], skip: ["2024-06-14|9985-1"] });
    expect(r.skipped).toEqual([{ partition: "2024-06-14|9985-1", reason: "skipped on request" }]);
    expect(r.updated).toBe(0);
    expect((await rowsOf("9985-1", "2024-06-14"))[12]).toMatchObject({ generation_filled: null, fill_method: "none" });
    const done = await imputeAsset(db.sql, { asset: "kospo/hourly", start: "2024-06-14", end: "2024-06-14", pdims: ["9985-1"] });
    expect(done.updated).toBe(1);
    expect((await rowsOf("9985-1", "2024-06-14"))[12].fill_method).toBe("clear_sky_index");
  });
});

describe("impute: ASOS weather", () => {
  const DAY = "2024-06-15";
  // Station 108 (서울) measures icsr; 130 (울진) does not (DOMAIN §3.4). Seoul that day: sunrise ~05:11, sunset ~19:56.
  beforeAll(async () => {
    const [s108] = await db.sql<{ has_solar_sensor: boolean }[]>`select has_solar_sensor from asos_stations where stn_id = 108`;
    const [s130] = await db.sql<{ has_solar_sensor: boolean }[]>`select has_solar_sensor from asos_stations where stn_id = 130`;
    expect([s108.has_solar_sensor, s130.has_solar_sensor]).toEqual([true, false]);
    for (const stn of [108, 130]) {
      const rows = [];
      for (let i = -3; i < 27; i++) {
        const t = at(DAY, i);
        const h = i;
        if (h === 5) continue; // a missing row
        const v: Record<string, number | null> = {
          ta: 20 + h / 2,
          hm: 60,
          ps: 1010,
          pa: 1000,
          td: 12,
          ws: 2 + h / 10,
          rn: null,
          ss: h >= 7 && h <= 19 ? 1 : null,
          icsr: h >= 7 && h <= 19 ? 1.5 : null,
        };
        if ([10, 11, 12].includes(h)) v.ta = null; // 3-hour gap → linear
        if ([14, 15, 16, 17].includes(h)) v.ta = null; // 4-hour gap → left
        if (h === 6) v.ta = null; // with the missing 05:00 row: a 2-hour gap → linear
        if (h === 9) v.ws = null; // 1-hour gap → linear
        if (h === 8 || h === 10) v.rn = 2; // rain at 08 and 10, nothing reported at 09 → stays NULL
        if (h === 13) v.icsr = null; // a daylight hour without radiation → stays NULL
        if (h === 13) v.ss = null;
        rows.push({ t, values: v });
      }
      await putWeather(db.sql, stn, rows);
      await markMaterialized(db.sql, "asos/hourly", [`${DAY}|${stn}`]);
    }
  });

  const weather = (stn: number) =>
    db.sql<{ h: number; ta: number | null; ta_filled: number | null; ws_filled: number | null; rn_filled: number | null; ss_filled: number | null; icsr: number | null; icsr_filled: number | null; fill_methods: Record<string, string> }[]>`
      select extract(hour from datetime at time zone 'Asia/Seoul')::int as h, ta, ta_filled, ws_filled, rn_filled, ss_filled, icsr, icsr_filled, fill_methods
      from weather_asos where stn_id = ${stn} and datetime >= ${at(DAY, 0)} and datetime < ${at(addDays(DAY, 1), 0)} order by datetime`;

  it("interpolates instantaneous fields (ta, ws) over ≤ 3 h; never invents rain; radiation and sunshine are never interpolated", async () => {
    const r = await imputeAsset(db.sql, { asset: "asos/hourly", start: DAY, end: DAY });
    expect(r.skipped).toEqual([]);
    for (const stn of [108, 130]) {
      const rows = new Map((await weather(stn)).map((x) => [x.h, x]));
      expect(rows.has(5)).toBe(false);
      expect(rows.get(6)).toMatchObject({ ta: null, ta_filled: 23 });
      expect(rows.get(6)!.fill_methods.ta).toBe("linear");
      expect([10, 11, 12].map((h) => rows.get(h)!.ta_filled)).toEqual([25, 25.5, 26]);
      expect([10, 11, 12].map((h) => rows.get(h)!.fill_methods.ta)).toEqual(["linear", "linear", "linear"]);
      for (const h of [14, 15, 16, 17]) {
        expect(rows.get(h)!.ta_filled).toBeNull();
        expect(rows.get(h)!.fill_methods.ta).toBeUndefined();
      }
      expect(rows.get(9)).toMatchObject({ ws_filled: 2.9 });
      expect(rows.get(9)!.fill_methods.ws).toBe("linear");
      // rn: a blank is "no precipitation reported" — never filled, not between two rainy hours either.
      expect([...rows.values()].filter((x) => x.rn_filled !== null).map((x) => [x.h, x.rn_filled])).toEqual([[8, 2], [10, 2]]);
      expect([...rows.values()].filter((x) => x.fill_methods.rn !== undefined).map((x) => [x.h, x.fill_methods.rn])).toEqual([[8, "measured"], [10, "measured"]]);
      // A daylight hour without icsr or ss stays NULL: accumulated fields are not interpolated.
      expect(rows.get(13)).toMatchObject({ icsr_filled: null, ss_filled: null });
      expect([rows.get(13)!.fill_methods.icsr, rows.get(13)!.fill_methods.ss]).toEqual([undefined, undefined]);
      expect(rows.get(8)!.fill_methods).toMatchObject({ ta: "measured", ws: "measured", rn: "measured", icsr: "measured" });
    }
    const seoul = new Map((await weather(108)).map((x) => [x.h, x]));
    const uljin = new Map((await weather(130)).map((x) => [x.h, x]));
    // tm 03:00 covers 02:00–03:00: night. tm 21:00 covers 20:00–21:00 (sunset ~19:56): night → 0, at 서울 for
    // icsr (a pyranometer), at both for ss (sunshine is observed everywhere).
    for (const h of [0, 3, 21, 23]) {
      expect(seoul.get(h)).toMatchObject({ icsr: null, icsr_filled: 0, ss_filled: 0 });
      expect([seoul.get(h)!.fill_methods.icsr, seoul.get(h)!.fill_methods.ss]).toEqual(["night_zero", "night_zero"]);
      expect(uljin.get(h)).toMatchObject({ icsr_filled: null, ss_filled: 0 });
      expect(uljin.get(h)!.fill_methods.icsr).toBeUndefined();
    }
    // tm 06:00 covers 05:00–06:00 (sunrise ~05:11) and tm 20:00 covers 19:00–20:00 (sunset ~19:56): the sun is up
    // during part of each, so they are neither 0 nor interpolated across sunrise or sunset — NULL.
    for (const h of [6, 20]) {
      expect(seoul.get(h)).toMatchObject({ icsr: null, icsr_filled: null, ss_filled: null });
      expect([seoul.get(h)!.fill_methods.icsr, seoul.get(h)!.fill_methods.ss]).toEqual([undefined, undefined]);
    }
  });

  it("is idempotent", async () => {
    const x = await db.sql`select stn_id, datetime, xmin::text as x from weather_asos order by 1, 2`;
    const again = await imputeAsset(db.sql, { asset: "asos/hourly", start: DAY, end: DAY });
    expect(again.updated).toBe(0);
    expect(await db.sql`select stn_id, datetime, xmin::text as x from weather_asos order by 1, 2`).toEqual(x);
  });
});

describe("impute: KOEN PV (monthly partitions)", () => {
  it("fills a KOEN month the same way", async () => {
    const days = eachDay("2024-05-01", "2024-05-10");
    const rows = days.flatMap((d) => {
      const v = kospoSimValue("9985", 1, d);
      return v.map((g, h) => ({ datetime: at(d, h).toISOString(), g: d === "2024-05-10" && [2, 10, 11].includes(h) ? null : g, hour: h + 1 }));
    });
    await db.sql`
      insert into namdong_generation (datetime, plant_name, hogi, hour, generation, generation_filled, fill_method)
      select datetime, '구미태양광', 1, hour, g, g, case when g is null then 'none' else 'measured' end
      from jsonb_to_recordset(${db.sql.json(rows as never)}::jsonb) as t(datetime timestamptz, g float8, hour int)`;
    await markMaterialized(db.sql, "koen/hourly", ["2024-05-01"]);
    const r = await imputeAsset(db.sql, { asset: "koen/hourly", start: "2024-05-01", end: "2024-05-01" });
    expect(r).toMatchObject({ units: 1, updated: 3 });
    const filled = await db.sql<{ h: number; fill_method: string }[]>`
      select hour - 1 as h, fill_method from namdong_generation where generation is null order by 1`;
    expect(filled).toEqual([{ h: 2, fill_method: "night_zero" }, { h: 10, fill_method: "clear_sky_index" }, { h: 11, fill_method: "clear_sky_index" }]);
  });
});
