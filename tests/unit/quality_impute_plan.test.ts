import { describe, expect, it } from "vitest";
import { interpolateShortRuns, planPvDay, planSeriesField, sameHourScale, type PvDayInput } from "../../f/lib/quality/impute_plan.ts";
import { KOSPO_HOURLY_POLICY, ASOS_HOURLY_POLICY } from "../../f/lib/quality/policies.ts";
import { expectEvery } from "../helpers/expect_every.ts";

// A June day: night before 05:00 and from 20:00 (Seoul, 2024-06-21).
const NIGHT = Array.from({ length: 24 }, (_, h) => h < 5 || h >= 20);
const DAY: (number | null)[] = [0, 0, 0, 0, 0, 10, 60, 150, 260, 360, 430, 470, 480, 460, 410, 330, 240, 140, 60, 12, 0, 0, 0, 0];

const base = (measured: (number | null)[], over: Partial<PvDayInput> = {}): PvDayInput => ({
  measured,
  night: NIGHT,
  hourlyValid: true,
  profile: null,
  maxInterpolateHours: 3,
  night_policy: "zero",
  long_policy: "profile",
  ...over,
});
const withGap = (from: number, to: number) => DAY.map((v, h) => (h >= from && h <= to ? null : v));
const methods = (fills: { method: string }[]) => fills.map((f) => f.method);

describe("PV fills of one unit-day", () => {
  it("measured hours stay exactly as measured", () => {
    const fills = planPvDay(base(withGap(9, 10)));
    for (let h = 0; h < 24; h++) if (h !== 9 && h !== 10) expect(fills[h]).toEqual({ value: DAY[h], method: "measured" });
  });

  it("missing night hours are 0 (night_zero); a missing daylight hour is not", () => {
    const m = [...DAY];
    m[2] = null;
    m[21] = null;
    m[5] = null;
    const fills = planPvDay(base(m, { maxInterpolateHours: 0, long_policy: "none" }));
    expect(fills[2]).toEqual({ value: 0, method: "night_zero" });
    expect(fills[21]).toEqual({ value: 0, method: "night_zero" });
    expect(fills[5]).toEqual({ value: null, method: "none" });
  });

  it("a gap of exactly 3 daytime hours is interpolated linearly between its neighbours", () => {
    const fills = planPvDay(base(withGap(9, 11)));
    expect(methods(fills).slice(9, 12)).toEqual(["linear", "linear", "linear"]);
    // 260 at 08:00 → 480 at 12:00: steps of 55
    expect(fills.slice(9, 12).map((f) => f.value)).toEqual([315, 370, 425]);
  });

  it("a gap of 4 hours is longer than the limit: the profile fills it, or it stays NULL (none) without a basis", () => {
    const profile = (h: number) => (DAY[h] as number) * 0.9;
    const withProfile = planPvDay(base(withGap(9, 12), { profile }));
    expect(methods(withProfile).slice(9, 13)).toEqual(["profile", "profile", "profile", "profile"]);
    expect(withProfile[10].value).toBe(387);
    const noBasis = planPvDay(base(withGap(9, 12), { profile: () => null }));
    expect(noBasis.slice(9, 13)).toEqual(Array(4).fill({ value: null, method: "none" }));
  });

  it("the limit is configurable: with 1 hour, a 2-hour gap is long", () => {
    expect(methods(planPvDay(base(withGap(9, 9), { maxInterpolateHours: 1, long_policy: "none" })))[9]).toBe("linear");
    expect(methods(planPvDay(base(withGap(9, 10), { maxInterpolateHours: 1, long_policy: "none" }))).slice(9, 11)).toEqual(["none", "none"]);
  });

  it("night zeros count as known neighbours: a morning gap after the night is interpolated from 0", () => {
    const fills = planPvDay(base(withGap(3, 6)));
    expect(methods(fills).slice(3, 7)).toEqual(["night_zero", "night_zero", "linear", "linear"]);
    // 0 at 04:00 → 150 at 07:00
    expect(fills[5].value).toBe(50);
    expect(fills[6].value).toBe(100);
  });

  it("a whole missing day: night zeros, and the daylight hours from the profile", () => {
    const fills = planPvDay(base(Array(24).fill(null), { profile: (h) => DAY[h] }));
    expect(methods(fills).filter((m) => m === "night_zero")).toHaveLength(9);
    expect(methods(fills).filter((m) => m === "profile")).toHaveLength(15);
    expect(fills[12].value).toBe(480);
  });

  it("without coordinates nothing is known to be night: only short gaps are interpolated", () => {
    const m = [...DAY];
    m[2] = null;
    const fills = planPvDay(base(m, { night: null, profile: null }));
    expect(fills[2]).toEqual({ value: 0, method: "linear" });
    expectEvery(planPvDay(base(Array(24).fill(null), { night: null, profile: null })), (f) => f.method === "none");
  });

  it("a day whose hourly values are graded invalid gets night zeros only", () => {
    const fills = planPvDay(base(withGap(0, 23).map((v, h) => (h === 1 ? null : v)), { hourlyValid: false, profile: (h) => DAY[h] }));
    expect(new Set(methods(fills))).toEqual(new Set(["night_zero", "none"]));
  });
});

describe("the recent same-hour scale", () => {
  const cs = Array.from({ length: 24 }, (_, h) => (h >= 6 && h <= 18 ? 0.5 : 0));
  const day = (v: number | null) => ({ measured: Array(24).fill(v), clearSky: cs, hourlyValid: true });
  it("is Σ measured / Σ clear-sky over the days measured at that hour, with a minimum of days", () => {
    expect(sameHourScale([day(100), day(200), day(null), day(300)], 12, 3)).toBe(400);
    expect(sameHourScale([day(100), day(200), day(null)], 12, 3)).toBeNull();
    expect(sameHourScale([day(0), day(0), day(0)], 3, 3)).toBe(0);
    expect(sameHourScale([{ ...day(999), hourlyValid: false }, day(100), day(100), day(100)], 12, 3)).toBe(200);
  });
});

describe("weather fields", () => {
  const series = (gapFrom: number, gapTo: number) => Array.from({ length: 12 }, (_, i) => (i >= gapFrom && i <= gapTo ? null : 10 + i));
  it("instantaneous fields: gaps up to 3 h interpolated, 4 h left", () => {
    const ta = ASOS_HOURLY_POLICY.fields.find((f) => f.field === "ta")!;
    const three = planSeriesField({ measured: series(3, 5), nightZero: null, maxInterpolateHours: ta.maxInterpolateHours });
    expect([...three.entries()]).toEqual([[3, { value: 13, method: "linear" }], [4, { value: 14, method: "linear" }], [5, { value: 15, method: "linear" }]]);
    expect(planSeriesField({ measured: series(3, 6), nightZero: null, maxInterpolateHours: ta.maxInterpolateHours }).size).toBe(0);
  });

  it("accumulated fields (rn, ss, icsr) are never interpolated across more than one hour", () => {
    for (const field of ["rn", "ss", "icsr"]) {
      const rule = ASOS_HOURLY_POLICY.fields.find((f) => f.field === field)!;
      expect(rule.maxInterpolateHours).toBe(1);
      expect(planSeriesField({ measured: series(4, 4), nightZero: null, maxInterpolateHours: rule.maxInterpolateHours }).get(4)?.method).toBe("linear");
      expect(planSeriesField({ measured: series(4, 5), nightZero: null, maxInterpolateHours: rule.maxInterpolateHours }).size).toBe(0);
    }
  });

  it("night zero only where the flags allow it (stations that measure icsr)", () => {
    const measured = [null, null, 0.1, 0.5, null, null];
    const night = [true, true, false, false, true, true];
    const at = planSeriesField({ measured, nightZero: night, maxInterpolateHours: 1 });
    expect(at.get(0)).toEqual({ value: 0, method: "night_zero" });
    expect(at.get(5)).toEqual({ value: 0, method: "night_zero" });
    expect(planSeriesField({ measured, nightZero: null, maxInterpolateHours: 1 }).size).toBe(0);
  });
});

describe("defaults", () => {
  it("PV: ≤ 3 h linear, night zero, longer gaps from a 14-day profile needing 3 days", () => {
    expect(KOSPO_HOURLY_POLICY).toMatchObject({ maxInterpolateHours: 3, night: "zero", long: "profile", profileLookbackDays: 14, profileMinDays: 3 });
  });
  it("interpolateShortRuns never fills open-ended runs", () => {
    expect(interpolateShortRuns([null, 1, null], 3).size).toBe(0);
  });
});
