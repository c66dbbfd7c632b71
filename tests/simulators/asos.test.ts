// The ASOS simulator's values are physically plausible and agree with the KOSPO simulator's
// cloudiness on the same day and place.
import { describe, expect, it } from "vitest";
import { eachDay } from "../../f/lib/time/kst.ts";
import { asosSimDay, DEFAULT_ASOS_SIM_STATIONS } from "../../src/simulators/asos.ts";
import { DEFAULT_KOSPO_SIM_UNITS, kospoSimValue } from "../../src/simulators/kospo.ts";
import { cloudinessFactor } from "../../src/simulators/weather_field.ts";
import { expectEvery } from "../helpers/expect_every.ts";

const num = (s: string) => (s === "" ? null : Number(s));
const sum = (xs: (number | null)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num_ = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num_ += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num_ / Math.sqrt(da * db);
}

describe("ASOS simulator", () => {
  it("serves the 95 stations, 63 with a pyranometer", () => {
    expect(DEFAULT_ASOS_SIM_STATIONS).toHaveLength(95);
    expect(DEFAULT_ASOS_SIM_STATIONS.filter((s) => s.hasSolarSensor)).toHaveLength(63);
  });

  it("values are physically plausible over a year", () => {
    for (const day of ["2024-01-15", "2024-04-15", "2024-07-15", "2024-10-15"]) {
      for (const stn of [90, 108, 159, 184, 255]) {
        for (const it of asosSimDay(stn, day)) {
          const ta = num(it.ta);
          const td = num(it.td);
          const hm = num(it.hm);
          if (ta !== null) expect(ta).toBeGreaterThan(-25), expect(ta).toBeLessThan(40);
          if (ta !== null && td !== null) expect(td).toBeLessThanOrEqual(ta + 0.1);
          if (hm !== null) expect(hm).toBeGreaterThanOrEqual(5), expect(hm).toBeLessThanOrEqual(100);
          const icsr = num(it.icsr);
          if (icsr !== null) expect(icsr).toBeGreaterThan(0), expect(icsr).toBeLessThan(4.2); // MJ/m² per hour
          const ss = num(it.ss);
          if (ss !== null) expect(ss).toBeGreaterThanOrEqual(0), expect(ss).toBeLessThanOrEqual(1);
          expect(Number(it.dc10Tca)).toBeGreaterThanOrEqual(0);
          expect(Number(it.dc10Tca)).toBeLessThanOrEqual(10);
          const ps = num(it.ps);
          if (ps !== null) expect(ps).toBeGreaterThan(980), expect(ps).toBeLessThan(1040);
        }
      }
    }
    // Summer is warmer than winter; the afternoon warmer than the early morning.
    const mean = (day: string) => sum(asosSimDay(108, day).map((i) => num(i.ta))) / 24;
    expect(mean("2024-07-30")).toBeGreaterThan(mean("2024-01-30") + 15);
    const jul = asosSimDay(108, "2024-07-30");
    expect(Number(jul[15].ta)).toBeGreaterThan(Number(jul[4].ta));
  });

  it('icsr is "" at night and at stations without a pyranometer; tm runs 00:00..23:00', () => {
    const day = asosSimDay(108, "2024-06-01");
    expect(day.map((i) => i.tm.slice(11))).toEqual(Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`));
    for (const h of [0, 1, 2, 3, 4, 22, 23]) expect(day[h].icsr).toBe("");
    expect(num(day[13].icsr)).toBeGreaterThan(0.2);
    const uljin = asosSimDay(130, "2024-06-01"); // no pyranometer
    expectEvery(uljin, (i) => i.icsr === "");
    expect(uljin.some((i) => num(i.ss) !== null)).toBe(true); // sunshine is still observed
  });

  it("daily radiation follows the shared cloudiness field, as KOSPO generation does", () => {
    const stn = DEFAULT_ASOS_SIM_STATIONS.find((s) => s.stnId === 112)!; // 인천, next to 신인천 (8760)
    const unit = DEFAULT_KOSPO_SIM_UNITS.find((u) => u.gencd === "8760")!;
    const days = eachDay("2024-05-01", "2024-06-29");
    const radiation = days.map((d) => sum(asosSimDay(stn.stnId, d).map((i) => num(i.icsr))));
    const generation = days.map((d) => sum(kospoSimValue(unit.gencd, unit.hogi, d)));
    const cloud = days.map((d) => cloudinessFactor(d, stn.lat, stn.lon));
    expect(pearson(radiation, cloud)).toBeGreaterThan(0.95);
    expect(pearson(radiation, generation)).toBeGreaterThan(0.9);
    // Hour by hour too: the hour ending at tm carries the plant's interval [tm-1h, tm).
    const d = "2024-06-10";
    const icsr = asosSimDay(stn.stnId, d).map((i) => num(i.icsr) ?? 0);
    const gen = kospoSimValue(unit.gencd, unit.hogi, d); // label N = [N-1, N)
    const alignedIcsr = gen.map((_, label0) => (label0 + 1 < 24 ? icsr[label0 + 1] : 0)); // tm = interval end
    expect(pearson(gen.slice(0, 23), alignedIcsr.slice(0, 23))).toBeGreaterThan(0.97);
    // Cloudier days are darker, more humid and have more cloud.
    const order = days.map((day, i) => ({ day, c: cloud[i] })).sort((a, b) => a.c - b.c);
    const dark = asosSimDay(stn.stnId, order[0].day);
    const bright = asosSimDay(stn.stnId, order[order.length - 1].day);
    expect(sum(dark.map((i) => num(i.dc10Tca)))).toBeGreaterThan(sum(bright.map((i) => num(i.dc10Tca))));
    expect(sum(dark.map((i) => num(i.ss)))).toBeLessThan(sum(bright.map((i) => num(i.ss))));
  });
});
