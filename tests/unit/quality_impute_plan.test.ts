// The pure fill planning: PV from the clear-sky index of the same day, weather by field kind. The
// accuracy tests hide hours of the simulators' days and compare the fills with the simulators' truth.
import { describe, expect, it } from "vitest";
import { expectEvery } from "../helpers/expect_every.ts";
import {
  clearSkyIndexRun,
  interpolateShortRuns,
  planPvDay,
  planSeriesField,
  referenceAgreement,
  referenceShape,
  type PvDayInput,
  type PvFillRules,
  type PvReference,
} from "../../f/lib/quality/impute_plan.ts";
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import { PV_FILL_DEFAULTS, type PvFillModel, type WeatherFillModel } from "../../f/lib/quality/fill_model.ts";

const pvModel = (m: PvFillModel | WeatherFillModel): PvFillModel => {
  if (m.kind !== "pv") throw new Error(`${m.asset} is not a PV asset`);
  return m;
};
const ASOS_HOURLY_MODEL = ((m) => {
  if (m.kind !== "weather") throw new Error(`${m.asset} is not a weather asset`);
  return m;
})(asosHourly.fillModel);
import { clearSkyHours, nightHours } from "../../f/lib/quality/sun.ts";
import { eachDay } from "../../f/lib/time/kst.ts";
import { coin } from "../../src/simulators/coin.ts";
import { DEFAULT_KOEN_SIM_UNITS, koenSimTruth } from "../../src/simulators/koen.ts";
import { DEFAULT_KOSPO_SIM_UNITS, kospoSimTruth } from "../../src/simulators/kospo.ts";
import { cloudinessFactor } from "../../src/simulators/weather_field.ts";
import { asosSimTruth, DEFAULT_ASOS_SIM_STATIONS } from "../../src/simulators/asos.ts";
import { kstMidnight } from "../../f/lib/time/kst.ts";
import { haversineKm } from "../../f/lib/sources/asos/plant_station.ts";

// A June day in Seoul: night before 05:00 and from 20:00; a clear-sky shape peaking at noon.
const NIGHT = Array.from({ length: 24 }, (_, h) => h < 5 || h >= 20);
const CLEAR_SKY = Array.from({ length: 24 }, (_, h) => (NIGHT[h] ? 0 : Math.round(1000 * Math.sin((Math.PI * (h - 4.5)) / 15.5)) / 1000));
const K = 500; // the plant's output per unit of clear sky on this day
const DAY: (number | null)[] = CLEAR_SKY.map((c) => Math.round(K * c * 1000) / 1000);

const base = (measured: (number | null)[], over: Partial<PvDayInput> = {}, rules: Partial<PvFillRules> = {}): PvDayInput => ({
  measured,
  night: NIGHT,
  clearSky: CLEAR_SKY,
  hourlyValid: true,
  rules: { ...PV_FILL_DEFAULTS, ...rules },
  ...over,
});
const withGap = (from: number, to: number, day = DAY) => day.map((v, h) => (h >= from && h <= to ? null : v));
const methods = (p: { fills: { method: string }[] }) => p.fills.map((f) => f.method);

describe("PV fills of one unit-day", () => {
  it("measured hours stay exactly as measured", () => {
    const { fills } = planPvDay(base(withGap(9, 10)));
    for (let h = 0; h < 24; h++) if (h !== 9 && h !== 10) expect(fills[h]).toEqual({ value: DAY[h], method: "measured" });
  });

  it("missing night hours are 0 (night_zero); a missing daylight hour is filled from the day, not zeroed", () => {
    const m = [...DAY];
    m[2] = null;
    m[21] = null;
    m[12] = null;
    const { fills } = planPvDay(base(m));
    expect(fills[2]).toEqual({ value: 0, method: "night_zero" });
    expect(fills[21]).toEqual({ value: 0, method: "night_zero" });
    expect(fills[12].method).toBe("clear_sky_index");
    expect(fills[12].value).toBeGreaterThan(0);
  });

  it("with a steady sky (constant clear-sky index) a 6-hour gap is recovered exactly", () => {
    const { fills } = planPvDay(base(withGap(8, 13)));
    expect(methods({ fills }).slice(8, 14)).toEqual(Array(6).fill("clear_sky_index"));
    for (let h = 8; h <= 13; h++) expect(fills[h].value).toBeCloseTo(DAY[h] as number, 1);
    // Plain linear interpolation between 07:00 and 14:00 would cut the midday bulge.
    const linear = interpolateShortRuns(withGap(8, 13), 6);
    expect(linear.get(11)!).toBeLessThan((DAY[11] as number) - 30);
  });

  it("a sky clearing through the gap: the index is interpolated between the hours around it", () => {
    // Index 200 before 09:00 rising to 480 from 14:00 on (linear in between): exactly what is filled.
    const k = (h: number) => (h <= 8 ? 200 : h >= 14 ? 480 : 200 + ((480 - 200) * (h - 8)) / 6);
    const day = CLEAR_SKY.map((c, h) => Math.round(k(h) * c * 1000) / 1000);
    const { fills } = planPvDay(base(withGap(9, 13, day)));
    for (let h = 9; h <= 13; h++) expect(fills[h].value).toBeCloseTo(k(h) * CLEAR_SKY[h], 1);
  });

  it("with a steady sky a gap reaching sunset is recovered exactly too", () => {
    const { fills } = planPvDay(base(withGap(16, 23)));
    expect(methods({ fills }).slice(16, 24)).toEqual([...Array(4).fill("clear_sky_index"), ...Array(4).fill("night_zero")]);
    for (let h = 16; h <= 19; h++) expect(fills[h].value).toBeCloseTo(DAY[h] as number, 1);
  });

  it("a gap reaching sunset starts from the last hour's index and relaxes towards the day's", () => {
    // Index 400 all day except 15:00 (a passing cloud: 200); the gap 16:00–19:00 reaches sunset.
    const day = DAY.map((v, h) => (h === 15 ? Math.round(200 * CLEAR_SKY[h] * 1000) / 1000 : v));
    const run = clearSkyIndexRun(withGap(16, 19, day), NIGHT, CLEAR_SKY, { start: 16, end: 19 }, 0.1, 3)!;
    const index = [16, 17, 18, 19].map((h) => run.get(h)! / CLEAR_SKY[h]);
    expect(index[0]).toBeGreaterThan(200);
    for (let i = 1; i < 4; i++) expect(index[i]).toBeGreaterThan(index[i - 1]);
    expect(index[3]).toBeLessThan(K);
    // Without relaxation the passing cloud's index would be held to sunset.
    const held = clearSkyIndexRun(withGap(16, 19, day), NIGHT, CLEAR_SKY, { start: 16, end: 19 }, 0.1, Infinity)!;
    expect(held.get(18)! / CLEAR_SKY[18]).toBeCloseTo(200, 0);
  });

  it("hours of weak clear sky (dawn, dusk) do not anchor the index", () => {
    // 05:00 reads 0 (a meter that rounds to whole kWh) under a clear-sky output of 0.1 of the peak.
    const m = withGap(6, 8);
    m[5] = 0;
    const rules = { ...PV_FILL_DEFAULTS, anchorMinClearSky: 0.2 };
    expect(CLEAR_SKY[5] / Math.max(...CLEAR_SKY)).toBeLessThan(0.2);
    const run = clearSkyIndexRun(m, NIGHT, CLEAR_SKY, { start: 6, end: 8 }, rules.anchorMinClearSky)!;
    expect(run.get(7)!).toBeCloseTo(DAY[7] as number, 1); // held from 09:00, not pulled to 0 by 05:00
    const naive = clearSkyIndexRun(m, NIGHT, CLEAR_SKY, { start: 6, end: 8 }, 0)!;
    expect(naive.get(7)!).toBeLessThan((DAY[7] as number) * 0.8);
  });

  it("a daytime gap longer than the limit stays NULL (none) and is reported; the limit is configurable", () => {
    const seven = planPvDay(base(withGap(8, 14)));
    expect(seven.fills.slice(8, 15)).toEqual(Array(7).fill({ value: null, method: "none" }));
    expect(seven.unfilled).toEqual([{ start: 8, hours: 7, reason: "too_long" }]);
    const three = planPvDay(base(withGap(8, 11), {}, { maxGapHours: 3 }));
    expect(methods(three).slice(8, 12)).toEqual(Array(4).fill("none"));
    expect(three.unfilled).toEqual([{ start: 8, hours: 4, reason: "too_long" }]);
    expect(planPvDay(base(withGap(8, 10), {}, { maxGapHours: 3 })).unfilled).toEqual([]);
  });

  it("a whole missing day: night zeros, and every daylight hour left NULL and reported (15 h > 6 h)", () => {
    const p = planPvDay(base(Array(24).fill(null)));
    expect(methods(p).filter((m) => m === "night_zero")).toHaveLength(9);
    expect(methods(p).filter((m) => m === "none")).toHaveLength(15);
    expect(p.unfilled).toEqual([{ start: 5, hours: 15, reason: "too_long" }]);
  });

  it("without coordinates nothing is known to be night: only short gaps are interpolated linearly", () => {
    const m = withGap(10, 11);
    m[2] = null;
    const p = planPvDay(base(m, { night: null, clearSky: null }));
    expect(p.fills[2]).toEqual({ value: 0, method: "linear" });
    expect(methods(p).slice(10, 12)).toEqual(["linear", "linear"]);
    const long = planPvDay(base(withGap(9, 12), { night: null, clearSky: null }));
    expect(methods(long).slice(9, 13)).toEqual(Array(4).fill("none"));
    expect(long.unfilled).toEqual([{ start: 9, hours: 4, reason: "too_long" }]);
  });

  it("a day whose hourly values are graded invalid gets night zeros only, and no warning", () => {
    const p = planPvDay(base(withGap(0, 23).map((v, h) => (h === 1 ? null : v)), { hourlyValid: false }));
    expect(new Set(methods(p))).toEqual(new Set(["night_zero", "none"]));
    expect(p.unfilled).toEqual([]);
  });
});

describe("PV fills shaped by a reference that shares the sky (sibling_csi, station_csi)", () => {
  // A cloudy day: the sky index swings from hour to hour (what the unit's own hours cannot see in a gap).
  const SKY = [0, 0, 0, 0, 0, 0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.5, 0.2, 0.6, 0.9, 0.4, 0.5, 0.7, 0.6, 0.5, 0, 0, 0, 0];
  const cloudy = (k: number) => CLEAR_SKY.map((c, h) => Math.round(k * SKY[h] * c * 1000) / 1000);
  const UNIT = cloudy(K);
  const sibling = (values: (number | null)[], source = "B-1"): PvReference => ({ method: "sibling_csi", source, shape: values });
  const station = (values: (number | null)[]): PvReference => ({ method: "station_csi", source: "159", shape: values });
  const plan = (measured: (number | null)[], references: PvReference[], rules: Partial<PvFillRules> = {}) => planPvDay({ ...base(measured, {}, rules), references });

  it("a sibling of the site measured through the gap gives it its shape, scaled to the unit: the clouds are recovered", () => {
    const p = plan(withGap(9, 13, UNIT), [sibling(cloudy(123))]);
    expect(methods(p).slice(9, 14)).toEqual(Array(5).fill("sibling_csi"));
    for (let h = 9; h <= 13; h++) expect(p.fills[h].value).toBeCloseTo(UNIT[h] as number, 0);
    // The unit's own clear-sky index only interpolates between 08:00 and 14:00 and misses the clouds.
    const own = plan(withGap(9, 13, UNIT), []);
    expect(methods(own).slice(9, 14)).toEqual(Array(5).fill("clear_sky_index"));
    const err = (q: typeof p) => [9, 10, 11, 12, 13].reduce((a, h) => a + Math.abs(q.fills[h].value! - (UNIT[h] as number)), 0);
    expect(err(p)).toBeLessThan(err(own) / 20);
  });

  it("measured hours stay measured, night hours 0, whatever the reference says", () => {
    const m = withGap(9, 10, UNIT);
    m[2] = null;
    const p = plan(m, [sibling(cloudy(500).map((v) => v * 3))]);
    for (let h = 0; h < 24; h++) if (![2, 9, 10].includes(h)) expect(p.fills[h]).toEqual({ value: UNIT[h], method: "measured" });
    expect(p.fills[2]).toEqual({ value: 0, method: "night_zero" });
  });

  it("a sibling not measured at every hour of the gap is not used (its own gap, or a fill of it, is no reference)", () => {
    const ref = cloudy(123).map((v, h) => (h === 11 ? null : v));
    expect(methods(plan(withGap(9, 13, UNIT), [sibling(ref)])).slice(9, 14)).toEqual(Array(5).fill("clear_sky_index"));
    // …but the next one is: the station, when it covers the gap.
    expect(methods(plan(withGap(9, 13, UNIT), [sibling(ref), station(cloudy(2.5))])).slice(9, 14)).toEqual(Array(5).fill("station_csi"));
  });

  it("a sibling is preferred to the station; among siblings the one that agrees best with the unit's day", () => {
    expect(methods(plan(withGap(9, 10, UNIT), [station(cloudy(2.5)), sibling(cloudy(123))])).slice(9, 11)).toEqual(["sibling_csi", "sibling_csi"]);
    const off = cloudy(123).map((v, h) => (h === 15 || h === 9 ? v * 1.12 : v)); // a sibling that differs at a measured hour (and in the gap)
    const p = plan(withGap(9, 10, UNIT), [sibling(off, "A-1"), sibling(cloudy(77), "C-1")]);
    expect(p.fills[9].value).toBeCloseTo(UNIT[9] as number, 1); // from C-1, which matches the unit's day exactly
  });

  it("a reference that does not reproduce the unit's measured hours is not used: a broken meter, other clouds", () => {
    // The broken meter of 997S-1: the day's energy in one cell.
    const oneCell = UNIT.map((_, h) => (h === 15 ? 5000 : 0));
    expect(methods(plan(withGap(9, 10, UNIT), [sibling(oneCell)])).slice(9, 11)).toEqual(["clear_sky_index", "clear_sky_index"]);
    // A station under other clouds (its own sky pattern): mismatch far above the limit.
    const otherSky = CLEAR_SKY.map((c, h) => c * (h % 2 ? 0.9 : 0.3));
    expect(methods(plan(withGap(9, 10, UNIT), [station(otherSky)])).slice(9, 11)).toEqual(["clear_sky_index", "clear_sky_index"]);
    // On a clear day the clear-sky shape already explains the day: a reference must do better to be used.
    const wobbly = CLEAR_SKY.map((c, h) => c * (1 + (h % 2 ? 0.02 : -0.02)));
    expect(methods(plan(withGap(9, 10), [station(wobbly)])).slice(9, 11)).toEqual(["clear_sky_index", "clear_sky_index"]);
  });

  it("referenceAgreement: one scale factor, over the hours both measured with enough sun; the clear-sky shape's beside it", () => {
    const a = referenceAgreement(withGap(9, 13, UNIT), NIGHT, CLEAR_SKY, cloudy(123), 0.1);
    expect(a.mismatch).toBeCloseTo(0, 3);
    expect(a.clearSkyMismatch!).toBeGreaterThan(0.1);
    expect(a.hours).toBe(NIGHT.filter((n, h) => !n && (h < 9 || h > 13) && CLEAR_SKY[h] >= 0.1 * Math.max(...CLEAR_SKY)).length);
    expect(referenceAgreement(withGap(9, 13, UNIT), NIGHT, CLEAR_SKY, Array(24).fill(null), 0.1)).toEqual({ hours: 0, mismatch: null, clearSkyMismatch: null });
  });

  it("too few hours to judge the agreement, or references turned off: the unit's own clear-sky index", () => {
    const few = UNIT.map((v, h) => (h >= 7 && h <= 12 ? null : v));
    expect(methods(plan(few, [sibling(cloudy(123))], { references: { ...PV_FILL_DEFAULTS.references!, minAgreementHours: 20 } })).slice(7, 13)).toEqual(Array(6).fill("clear_sky_index"));
    expect(methods(plan(withGap(9, 10, UNIT), [sibling(cloudy(123))], { references: null })).slice(9, 11)).toEqual(["clear_sky_index", "clear_sky_index"]);
    expect(methods(plan(withGap(9, 10, UNIT), [sibling(cloudy(123))], { references: { ...PV_FILL_DEFAULTS.references!, sibling: null } })).slice(9, 11)).toEqual(["clear_sky_index", "clear_sky_index"]);
  });

  it("the gap limit and the sunrise/sunset rules stay: longer gaps NULL, a gap reaching sunset relaxes towards the day's ratio", () => {
    const seven = plan(withGap(8, 14, UNIT), [sibling(cloudy(123))]);
    expect(methods(seven).slice(8, 15)).toEqual(Array(7).fill("none"));
    expect(seven.unfilled).toEqual([{ start: 8, hours: 7, reason: "too_long" }]);
    const evening = plan(withGap(16, 23, UNIT), [sibling(cloudy(123))]);
    expect(methods(evening).slice(16, 24)).toEqual([...Array(4).fill("sibling_csi"), ...Array(4).fill("night_zero")]);
    for (let h = 16; h <= 19; h++) expect(evening.fills[h].value).toBeCloseTo(UNIT[h] as number, 0);
  });

  it("referenceShape moves a reference into the unit's clear-sky frame (another place, another sun)", () => {
    expect(referenceShape([null, 2, 3, 4], [0, 1, 2, 0], [0, 2, 2, 1])).toEqual([null, 4, 3, null]);
  });
});

describe("PV fills against the simulators' truth", () => {
  // Every simulated unit with valid hourly values, 60 days over a year; on each unit-day one
  // daytime gap of 1–6 h at a seeded place. Sky from the simulator: clear = the day's level ≥ 0.9.
  const units = [
    ...DEFAULT_KOSPO_SIM_UNITS.filter((u) => u.gencd !== "997S").map((u) => ({ key: `${u.gencd}-${u.hogi}`, lat: u.lat, lon: u.lon, truth: kospoSimTruth })),
    ...DEFAULT_KOEN_SIM_UNITS.filter((u) => !["여수태양광", "영동태양광", "탑선태양광", "삼천포태양광#5", "삼천포태양광#6", "영흥태양광 #3"].includes(u.plantName))
      .map((u) => ({ key: `${u.plantName}-${u.hogi}`, lat: u.lat, lon: u.lon, truth: koenSimTruth })),
  ];
  const days = eachDay("2025-01-03", "2025-12-31").filter((_, i) => i % 6 === 0);
  const totals = new Map<string, { n: number; truth: number; err: number; bias: number; linear: number }>();
  const add = (key: string, fill: number, linear: number, truth: number) => {
    const t = totals.get(key) ?? { n: 0, truth: 0, err: 0, bias: 0, linear: 0 };
    t.n++;
    t.truth += truth;
    t.err += Math.abs(fill - truth);
    t.bias += fill - truth;
    t.linear += Math.abs(linear - truth);
    totals.set(key, t);
  };
  let unfilledInLimit = 0;
  const methodCount = new Map<string, number>();
  for (const u of units) {
    for (const day of days) {
      const truth = Array.from({ length: 24 }, (_, h) => u.truth(u.key, day, h));
      const night = nightHours(day, u.lat, u.lon);
      const daylight = night.flatMap((n, h) => (n ? [] : [h]));
      const len = 1 + Math.floor(coin(`len|${u.key}|${day}`) * 6);
      const start = daylight[0] + Math.floor(coin(`start|${u.key}|${day}`) * (daylight.length - len + 1));
      const measured = truth.map((v, h) => (h >= start && h < start + len ? null : v));
      const { fills, unfilled } = planPvDay({ measured, night, clearSky: clearSkyHours(day, u.lat, u.lon), hourlyValid: true, rules: PV_FILL_DEFAULTS });
      unfilledInLimit += unfilled.length;
      const linear = interpolateShortRuns(measured, 24);
      const sky = cloudinessFactor(day, u.lat, u.lon) >= 0.9 ? "clear" : "cloudy";
      for (let h = start; h < start + len; h++) {
        const f = fills[h];
        methodCount.set(f.method, (methodCount.get(f.method) ?? 0) + 1);
        for (const key of [sky, `${sky} ${len} h`]) add(key, f.value ?? 0, linear.get(h) ?? 0, truth[h]);
      }
    }
  }
  const wae = (k: string) => totals.get(k)!.err / totals.get(k)!.truth;
  const linearWae = (k: string) => totals.get(k)!.linear / totals.get(k)!.truth;

  it("fills every daytime gap of up to 6 h (none left NULL)", () => {
    expect(units.length).toBeGreaterThan(20);
    expect(unfilledInLimit).toBe(0);
    expect([...methodCount.keys()]).toEqual(["clear_sky_index"]);
    expect(totals.get("clear")!.n).toBeGreaterThan(300);
    expect(totals.get("cloudy")!.n).toBeGreaterThan(1000);
  });

  it("weighted absolute error ≤ 0.15 on cloudy days and ≤ 0.08 on clear days, bias small", () => {
    expect(wae("cloudy")).toBeLessThanOrEqual(0.15);
    expect(wae("clear")).toBeLessThanOrEqual(0.08);
    for (const sky of ["clear", "cloudy"]) expect(Math.abs(totals.get(sky)!.bias / totals.get(sky)!.truth)).toBeLessThan(0.05);
  });

  it("never worse than plain linear interpolation on the same gaps, for every gap length and sky", () => {
    const cells = [...totals.keys()].filter((k) => k.endsWith(" h"));
    expect(cells).toHaveLength(12);
    for (const k of cells) expect(wae(k), k).toBeLessThan(linearWae(k));
  });
});

describe("PV fills shaped by references, against the simulators' truth", () => {
  // Every simulated KOSPO unit with valid hourly values, 45 days over a year, one daytime gap of
  // 1–6 h per unit-day. References as impute builds them: the units at the same place (their
  // truth: the simulator's meter gaps are independent), and the nearest pyranometer station within
  // 30 km (its icsr as KMA sends it: 0.01 MJ, blank below 0.005).
  const units = DEFAULT_KOSPO_SIM_UNITS.filter((u) => u.gencd !== "997S").map((u) => ({ key: `${u.gencd}-${u.hogi}`, lat: u.lat, lon: u.lon }));
  const solar = DEFAULT_ASOS_SIM_STATIONS.filter((s) => s.hasSolarSensor);
  const stationOf = (u: { lat: number; lon: number }) => {
    const [s] = solar.map((s) => ({ s, km: haversineKm(u.lat, u.lon, s.lat, s.lon) })).sort((a, b) => a.km - b.km || a.s.stnId - b.s.stnId);
    return s.km <= 30 ? s.s : null;
  };
  const days = eachDay("2025-01-05", "2025-12-31").filter((_, i) => i % 8 === 0);
  /** Multiplicative AR(1) noise of standard deviation sd (0 = the simulator as it is). */
  const noise = (sd: number, key: string) => {
    let e = 0;
    return Array.from({ length: 24 }, (_, h) => {
      const g = Math.sqrt(-2 * Math.log(Math.max(1e-9, coin(`${key}|${h}|a`)))) * Math.cos(2 * Math.PI * coin(`${key}|${h}|b`));
      e = 0.5 * e + Math.sqrt(0.75) * g;
      return Math.max(0, 1 + sd * e);
    });
  };
  /** WAE of the cloudy days' gaps (sky level < 0.9), per method, with references disturbed by the given noise. */
  const run = (siblingSd: number | null, stationSd: number) => {
    const sums = new Map<string, { truth: number; err: number; n: number }>();
    const add = (k: string, fill: number, truth: number) => {
      const t = sums.get(k) ?? { truth: 0, err: 0, n: 0 };
      t.truth += truth;
      t.err += Math.abs(fill - truth);
      t.n++;
      sums.set(k, t);
    };
    for (const u of units) {
      const siblings = siblingSd === null ? [] : units.filter((v) => v.key !== u.key && v.lat === u.lat && v.lon === u.lon);
      const stn = stationOf(u);
      for (const day of days) {
        if (cloudinessFactor(day, u.lat, u.lon) >= 0.9) continue;
        const truth = Array.from({ length: 24 }, (_, h) => kospoSimTruth(u.key, day, h));
        const night = nightHours(day, u.lat, u.lon);
        const daylight = night.flatMap((n, h) => (n ? [] : [h]));
        const len = 1 + Math.floor(coin(`len|${u.key}|${day}`) * 6);
        const start = daylight[0] + Math.floor(coin(`start|${u.key}|${day}`) * (daylight.length - len + 1));
        const measured = truth.map((v, h) => (h >= start && h < start + len ? null : v));
        const cs = clearSkyHours(day, u.lat, u.lon);
        const references: PvReference[] = siblings.map((v) => {
          const n = noise(siblingSd!, `${v.key}|${day}`);
          return { method: "sibling_csi", source: v.key, shape: Array.from({ length: 24 }, (_, h) => kospoSimTruth(v.key, day, h) * n[h]) };
        });
        if (stn) {
          const n = noise(stationSd, `${stn.stnId}|${day}`);
          const icsr = Array.from({ length: 24 }, (_, h) => {
            const mj = asosSimTruth(stn.stnId, kstMidnight(day).getTime() + (h + 1) * 3_600_000).icsr * n[h];
            return mj >= 0.005 ? Math.round(mj * 100) / 100 : null;
          });
          references.push({ method: "station_csi", source: String(stn.stnId), shape: referenceShape(icsr, clearSkyHours(day, stn.lat, stn.lon), cs) });
        }
        const withRefs = planPvDay({ measured, night, clearSky: cs, hourlyValid: true, rules: PV_FILL_DEFAULTS, references });
        const own = planPvDay({ measured, night, clearSky: cs, hourlyValid: true, rules: PV_FILL_DEFAULTS, references: [] });
        for (let h = start; h < start + len; h++) {
          if (night[h]) continue;
          add("all", withRefs.fills[h].value ?? 0, truth[h]);
          add(withRefs.fills[h].method, withRefs.fills[h].value ?? 0, truth[h]);
          add("own clear_sky_index", own.fills[h].value ?? 0, truth[h]);
        }
      }
    }
    const wae = (k: string) => (sums.has(k) ? sums.get(k)!.err / sums.get(k)!.truth : null);
    return { wae, n: (k: string) => sums.get(k)?.n ?? 0 };
  };

  it("on the simulators: siblings recover most of the clouds of the gap (the units of a place share its sky, each through its own arrays), the station nearly as much", () => {
    const r = run(0, 0);
    expect(r.n("sibling_csi")).toBeGreaterThan(300);
    expect(r.n("station_csi")).toBeGreaterThan(100);
    // Not exact: a unit's sky differs from its sibling's by a few percent hour to hour (unit_sky.ts).
    expect(r.wae("sibling_csi")!).toBeGreaterThan(0.02);
    expect(r.wae("sibling_csi")!).toBeLessThan(0.5 * r.wae("own clear_sky_index")!);
    expect(r.wae("station_csi")!).toBeLessThan(0.5 * r.wae("own clear_sky_index")!);
    expect(r.wae("all")!).toBeLessThan(0.5 * r.wae("own clear_sky_index")!);
  });

  it("with references that disagree more, siblings still help and a station under other clouds does no harm", () => {
    // Siblings off by another 5 % hour to hour (meters, soiling), a station's sky off by 20 %: the
    // sibling fills stay well below the unit's own; the station is rarely let in, and the whole
    // stays within 0.01 of the unit's own clear-sky index.
    const r = run(0.05, 0.2);
    expect(r.wae("sibling_csi")!).toBeLessThan(0.6 * r.wae("own clear_sky_index")!);
    expect(r.wae("all")!).toBeLessThan(r.wae("own clear_sky_index")!);
    const stationOnly = run(null, 0.2); // no siblings: what the station alone does
    expect(stationOnly.n("sibling_csi")).toBe(0);
    expect(stationOnly.wae("all")!).toBeLessThan(stationOnly.wae("own clear_sky_index")! + 0.01);
  });
});

describe("weather fields", () => {
  const series = (gapFrom: number, gapTo: number) => Array.from({ length: 12 }, (_, i) => (i >= gapFrom && i <= gapTo ? null : 10 + i));
  const rule = (field: string) => ASOS_HOURLY_MODEL.fields.find((f) => f.field === field)!;

  it("instantaneous fields (ta, hm, ps, pa, td, ws): gaps up to 3 h interpolated, 4 h left", () => {
    for (const field of ["ta", "hm", "ps", "pa", "td", "ws"]) {
      const r = rule(field);
      expect([field, r.kind]).toEqual([field, "instantaneous"]);
      if (r.kind !== "instantaneous") continue;
      const three = planSeriesField({ measured: series(3, 5), kind: r.kind, maxInterpolateHours: r.maxInterpolateHours, nightZero: null });
      expect([...three.entries()]).toEqual([[3, { value: 13, method: "linear" }], [4, { value: 14, method: "linear" }], [5, { value: 15, method: "linear" }]]);
      expect(planSeriesField({ measured: series(3, 6), kind: r.kind, maxInterpolateHours: r.maxInterpolateHours, nightZero: null }).size).toBe(0);
    }
  });

  it("accumulated fields (rn, ss, icsr) are never interpolated, not even over one daylight hour", () => {
    expect(ASOS_HOURLY_MODEL.fields.filter((f) => f.kind === "accumulated").map((f) => f.field)).toEqual(["rn", "ss", "icsr"]);
    const day = Array(12).fill(false);
    for (const maxInterpolateHours of [0, 1, 24]) {
      expect(planSeriesField({ measured: series(4, 4), kind: "accumulated", maxInterpolateHours, nightZero: day }).size).toBe(0);
    }
  });

  it("accumulated: 0 only for whole-night hours; rn never (a blank rn is 'no precipitation reported'), icsr only at pyranometer stations", () => {
    expect(rule("rn")).toMatchObject({ kind: "accumulated", nightZero: "never" });
    expect(rule("ss")).toMatchObject({ kind: "accumulated", nightZero: "all" });
    expect(rule("icsr")).toMatchObject({ kind: "accumulated", nightZero: "sensor" });
    const measured = [null, null, 0.1, null, 0.5, null, null];
    const night = [true, true, false, false, false, false, true];
    const at = planSeriesField({ measured, kind: "accumulated", maxInterpolateHours: 0, nightZero: night });
    expect([...at.entries()]).toEqual([[0, { value: 0, method: "night_zero" }], [1, { value: 0, method: "night_zero" }], [6, { value: 0, method: "night_zero" }]]);
  });
});

describe("defaults", () => {
  it("PV: night zero; daytime gaps ≤ 6 h from the clear-sky index, shaped by a sibling or the station; units without coordinates linear ≤ 3 h", () => {
    for (const p of [pvModel(kospoHourly.fillModel), pvModel(koenHourly.fillModel)]) {
      expect(p.fill).toEqual({
        night: "zero",
        daytime: "clear_sky_index",
        maxGapHours: 6,
        noCoordinatesMaxGapHours: 3,
        anchorMinClearSky: 0.1,
        oneSidedRelaxHours: 3,
        references: {
          sibling: { maxKm: 1, maxMismatch: 0.1 },
          station: { asset: "asos/hourly", field: "icsr", maxKm: 30, maxMismatch: 0.05 },
          minAgreementHours: 2,
        },
      });
    }
  });
  it("interpolateShortRuns never fills open-ended runs", () => {
    expect(interpolateShortRuns([null, 1, null], 3).size).toBe(0);
  });
});
