// The simulators are realistic enough to measure fills against: clear days and cloudy days whose
// cloudiness changes within the day, meter gaps of 1–6 h and whole days at a modest rate, the
// truth behind every gap known, and a plant's sky the same as its weather station's; units of one
// site under the same sky, each seeing it through its own arrays (unit_sky.ts).
import { describe, expect, it } from "vitest";
import { clearSkyHours } from "../../f/lib/quality/sun.ts";
import { eachDay, kstMidnight } from "../../f/lib/time/kst.ts";
import { SIM_METER_GAPS } from "../../src/cli/sources.ts";
import { asosSimDay, asosSimTruth, DEFAULT_ASOS_SIM_STATIONS } from "../../src/simulators/asos.ts";
import { DEFAULT_KOEN_SIM_UNITS, koenSimCsv, koenSimTruth } from "../../src/simulators/koen.ts";
import { DEFAULT_KOSPO_SIM_UNITS, kospoSimTruth, kospoSimValue, startKospoSim } from "../../src/simulators/kospo.ts";
import { meterGapLabels } from "../../src/simulators/meter_gaps.ts";
import { cloudinessFactor, skyFactor } from "../../src/simulators/weather_field.ts";

const YEAR = eachDay("2025-01-01", "2025-12-31");
const BUSAN = DEFAULT_KOSPO_SIM_UNITS.find((u) => u.gencd === "9987")!;
const HOUR = 3_600_000;
const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

/** The sky (share of clear-sky output) averaged over each hour 09:00–15:00 of a day. */
const hourlySky = (day: string, lat: number, lon: number) =>
  Array.from({ length: 7 }, (_, i) => {
    const t = kstMidnight(day).getTime() + (9 + i) * HOUR;
    return Array.from({ length: 6 }, (_, k) => skyFactor(t + (k + 0.5) * 600_000, lat, lon)).reduce((a, b) => a + b) / 6;
  });

describe("the sky of the simulators", () => {
  const levels = YEAR.map((d) => cloudinessFactor(d, BUSAN.lat, BUSAN.lon));

  it("has clear days and cloudy days over a year", () => {
    expect(levels.filter((c) => c === 1).length / YEAR.length).toBeGreaterThan(0.08);
    expect(levels.filter((c) => c < 0.8).length / YEAR.length).toBeGreaterThan(0.4);
    expect(levels.filter((c) => c < 0.3).length).toBeGreaterThan(5);
  });

  it("clear days stay clear all day; cloudy days change within the day", () => {
    const clear = YEAR.filter((_, i) => levels[i] === 1);
    const cloudy = YEAR.filter((_, i) => levels[i] < 0.8);
    expect(clear.length).toBeGreaterThan(20);
    expect(cloudy.length).toBeGreaterThan(100);
    expect(Math.max(...clear.map((d) => range(hourlySky(d, BUSAN.lat, BUSAN.lon))))).toBe(0);
    const ranges = cloudy.map((d) => range(hourlySky(d, BUSAN.lat, BUSAN.lon))).sort((a, b) => a - b);
    expect(ranges[Math.floor(ranges.length / 2)]).toBeGreaterThan(0.15); // the median cloudy day swings by more than 0.15
    expect(ranges.filter((r) => r > 0.3).length).toBeGreaterThan(10);
  });

  it("is deterministic: a pure function of time and place", () => {
    const t = Date.parse("2025-06-15T11:20:00+09:00");
    expect(skyFactor(t, 35.1, 129.0)).toBe(skyFactor(t, 35.1, 129.0));
    expect(kospoSimTruth("9987-1", "2025-06-15", 11)).toBe(kospoSimValue("9987", 1, "2025-06-15")[11]);
  });

  it("generation follows the sky hour by hour: the plant's clear-sky index is the sky's, up to the unit's own few percent", () => {
    const day = YEAR.find((d, i) => levels[i] < 0.7 && range(hourlySky(d, BUSAN.lat, BUSAN.lon)) > 0.2)!;
    const cs = clearSkyHours(day, BUSAN.lat, BUSAN.lon);
    const index = [9, 10, 11, 12, 13, 14, 15].map((h) => kospoSimTruth("9987-1", day, h) / cs[h]);
    const sky = hourlySky(day, BUSAN.lat, BUSAN.lon);
    expect(pearson(index, sky)).toBeGreaterThan(0.9); // the shape of the day is the sky's
    const ratio = index.map((k, i) => Math.log(k / sky[i]));
    expect(sd(ratio)).toBeGreaterThan(0.005); // but not exactly: the unit's arrays see it a little differently (unit_sky.ts)
    expect(sd(ratio)).toBeLessThan(0.12);
  });

  it("units of one site differ hour by hour as real ones do: a few percent under broken clouds, less under a clear sky", () => {
    // KOSPO 부산 (S997-1..3) and KOEN units at the same coordinates: the same sky, their own arrays.
    const kospoSite = DEFAULT_KOSPO_SIM_UNITS.filter((u) => u.gencd === "S997");
    expect(kospoSite.length).toBe(3);
    const koenPair = DEFAULT_KOEN_SIM_UNITS.filter((u, _, all) => all.some((v) => v !== u && v.lat === u.lat && v.lon === u.lon)).slice(0, 1).flatMap((u) => DEFAULT_KOEN_SIM_UNITS.filter((v) => v.lat === u.lat && v.lon === u.lon));
    expect(koenPair.length).toBeGreaterThanOrEqual(2);
    const series: { lat: number; lon: number; a: (d: string) => number[]; b: (d: string) => number[] }[] = [
      { lat: kospoSite[0].lat, lon: kospoSite[0].lon, a: (d) => kospoSimValue("S997", 1, d).map((v) => v / kospoSite[0].capacityKw), b: (d) => kospoSimValue("S997", 2, d).map((v) => v / kospoSite[1].capacityKw) },
      { lat: koenPair[0].lat, lon: koenPair[0].lon, a: (d) => koenSimTruthDay(`${koenPair[0].plantName}-${koenPair[0].hogi}`, d, koenPair[0].capacityKw), b: (d) => koenSimTruthDay(`${koenPair[1].plantName}-${koenPair[1].hogi}`, d, koenPair[1].capacityKw) },
    ];
    for (const site of series) {
      const logRatio: Record<"clear" | "cloudy", number[]> = { clear: [], cloudy: [] };
      for (const d of YEAR.filter((_, i) => i % 3 === 0)) {
        const [a, b] = [site.a(d), site.b(d)];
        const sky = cloudinessFactor(d, site.lat, site.lon) === 1 ? "clear" : "cloudy";
        for (let h = 8; h <= 16; h++) if (a[h] > 0.02 && b[h] > 0.02) logRatio[sky].push(Math.log(a[h] / b[h]));
      }
      expect(logRatio.clear.length).toBeGreaterThan(50);
      // Hour to hour the two units' output per kW differs by (sd of the log ratio): 1–5 % on clear days
      // (the per-unit sky noise of ≈ 1.5 % and the units' azimuth offsets), 4–12 % on cloudy ones.
      expect(sd(logRatio.clear)).toBeGreaterThan(0.01);
      expect(sd(logRatio.clear)).toBeLessThan(0.05);
      expect(sd(logRatio.cloudy)).toBeGreaterThan(0.04);
      expect(sd(logRatio.cloudy)).toBeLessThan(0.12);
    }
    // Still one site under one sky: their hourly clear-sky indices move together.
    const days = YEAR.filter((d, i) => i % 3 === 0 && levels[i] < 0.8);
    const a = days.flatMap((d) => kospoSimValue("S997", 1, d).slice(9, 16));
    const b = days.flatMap((d) => kospoSimValue("S997", 2, d).slice(9, 16));
    expect(pearson(a, b)).toBeGreaterThan(0.97);
  });

  it("a plant and its weather station share the sky: cloudy days and the clouds inside them agree", () => {
    // 신인천 (9985, 37.536 126.609) and 인천 (112), a pyranometer station 3 km away.
    const stn = DEFAULT_ASOS_SIM_STATIONS.find((s) => s.stnId === 112)!;
    expect(stn.hasSolarSensor).toBe(true);
    const days = YEAR.filter((_, i) => i % 3 === 0);
    const plant = days.map((d) => kospoSimValue("9985", 1, d).reduce((a, b) => a + b, 0));
    const station = days.map((d) => asosSimDay(112, d).reduce((a, i) => a + (i.icsr === "" ? 0 : Number(i.icsr)), 0));
    expect(pearson(plant, station)).toBeGreaterThan(0.95);
    // Hour by hour on cloudy days: generation of [T, T+1 h) against radiation of the hour ending at T+1 h.
    const hourly: [number[], number[]] = [[], []];
    for (const d of days.filter((d) => cloudinessFactor(d, stn.lat, stn.lon) < 0.8)) {
      for (let h = 9; h <= 15; h++) {
        hourly[0].push(kospoSimTruth("9985-1", d, h));
        hourly[1].push(asosSimTruth(112, kstMidnight(d).getTime() + (h + 1) * HOUR).icsr);
      }
    }
    expect(hourly[0].length).toBeGreaterThan(200);
    expect(pearson(hourly[0], hourly[1])).toBeGreaterThan(0.95);
  });
});

describe("meter gaps", () => {
  const units = [...DEFAULT_KOSPO_SIM_UNITS.map((u) => `${u.gencd}-${u.hogi}`), ...DEFAULT_KOEN_SIM_UNITS.map((u) => `${u.plantName}-${u.hogi}`)];
  const gaps = units.flatMap((u) => YEAR.map((d) => ({ u, d, labels: meterGapLabels(u, d, SIM_METER_GAPS) }))).filter((g) => g.labels.length > 0);

  it("npm start's rate is modest: about 4 % of unit-days, one outage in eight a whole day", () => {
    expect(SIM_METER_GAPS).toBe(0.04);
    const share = gaps.length / (units.length * YEAR.length);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.05);
    const whole = gaps.filter((g) => g.labels.length === 24).length / gaps.length;
    expect(whole).toBeGreaterThan(0.08);
    expect(whole).toBeLessThan(0.18);
  });

  it("daytime outages last 1–6 h inside 08:00–18:00, every length occurring", () => {
    const daytime = gaps.filter((g) => g.labels.length < 24);
    expect(new Set(daytime.map((g) => g.labels.length))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(Math.min(...daytime.map((g) => g.labels[0]))).toBe(9); // label 9 = 08:00–09:00
    expect(Math.max(...daytime.map((g) => g.labels[g.labels.length - 1]))).toBe(18); // label 18 = 17:00–18:00
    for (const g of daytime.slice(0, 50)) expect(g.labels).toEqual(Array.from({ length: g.labels.length }, (_, i) => g.labels[0] + i));
  });

  it("the sources serve empty cells there, while the truth behind them is known (and is daylight output)", async () => {
    const g = gaps.find((x) => x.u === "9987-1" && x.labels.length < 24 && x.labels.length >= 3)!;
    const sim = await startKospoSim({ meterGaps: SIM_METER_GAPS, today: "2026-01-01" });
    try {
      const body = await (await fetch(`${sim.url}/getDataService?serviceKey=${encodeURIComponent("sim-key/with+special=chars==")}&numOfRows=10&pageNo=1&strSdate=${g.d.replaceAll("-", "")}&strEdate=${g.d.replaceAll("-", "")}&strOrgCd=9987&strHoki=1`)).text();
      for (const label of g.labels) expect(body).toContain(`<qhorgen${String(label).padStart(2, "0")}></qhorgen${String(label).padStart(2, "0")}>`);
    } finally {
      await sim.close();
    }
    for (const label of g.labels) expect(kospoSimTruth("9987-1", g.d, label - 1)).toBeGreaterThan(0);
    // KOEN too, and a whole-day outage leaves every cell of the row empty.
    const koenUnits = new Set(DEFAULT_KOEN_SIM_UNITS.map((u) => `${u.plantName}-${u.hogi}`));
    const k = gaps.find((x) => koenUnits.has(x.u) && x.labels.length === 24)!;
    const csv = koenSimCsv({ start: k.d, end: k.d, orgNo: "", hokiS: "", hokiE: "" }, { meterGaps: SIM_METER_GAPS, today: "2026-01-01", encoding: "utf-8" }).toString("utf8");
    const [name, hogi] = [k.u.slice(0, k.u.lastIndexOf("-")), k.u.slice(k.u.lastIndexOf("-") + 1)];
    const row = csv.split("\r\n").find((l) => l.startsWith(`${name}, ${hogi}, ${k.d}, `))!;
    expect(row.split(", ").slice(3, 27)).toEqual(Array(24).fill(""));
    expect(Math.max(...Array.from({ length: 24 }, (_, h) => koenSimTruth(k.u, k.d, h)))).toBeGreaterThan(0);
  });
});

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

const koenSimTruthDay = (unit: string, d: string, capacityKw: number) => Array.from({ length: 24 }, (_, h) => koenSimTruth(unit, d, h) / capacityKw);

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
