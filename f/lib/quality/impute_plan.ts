// The pure part of impute: given measured values on an hourly grid, which value and method each
// missing hour gets. No database, no clock — the unit tests drive these directly.
export type FillMethod = "measured" | "night_zero" | "linear" | "spline" | "profile" | "none";
export const FILL_METHODS: readonly FillMethod[] = ["measured", "night_zero", "linear", "spline", "profile", "none"];

export interface Fill {
  value: number | null;
  method: FillMethod;
}

/** Filled values are stored rounded to 3 decimals (Wh for kWh), so re-runs compare equal. */
export const roundFill = (x: number): number => Math.round(x * 1000) / 1000 + 0;

/** Maximal runs [start, end] (inclusive) of null slots. */
export function nullRuns(known: readonly (number | null)[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = -1;
  for (let i = 0; i <= known.length; i++) {
    const isNull = i < known.length && known[i] === null;
    if (isNull && start < 0) start = i;
    if (!isNull && start >= 0) {
      out.push({ start, end: i - 1 });
      start = -1;
    }
  }
  return out;
}

/**
 * Linear interpolation of every run of at most `maxLen` nulls that has a known value on both sides.
 * Returns slot → value for the filled slots; longer or one-sided runs are left out.
 */
export function interpolateShortRuns(known: readonly (number | null)[], maxLen: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of nullRuns(known)) {
    const len = r.end - r.start + 1;
    const left = r.start - 1;
    const right = r.end + 1;
    if (len > maxLen || left < 0 || right >= known.length) continue;
    const a = known[left] as number;
    const b = known[right] as number;
    for (let i = r.start; i <= r.end; i++) out.set(i, roundFill(a + ((b - a) * (i - left)) / (right - left)));
  }
  return out;
}

export interface PvDayInput {
  /** Measured values of the 24 hours (interval start 00:00 … 23:00); null = not measured or no row. */
  measured: readonly (number | null)[];
  /** Night flags of the 24 hours, or null when the unit has no coordinates (no night, no profile). */
  night: readonly boolean[] | null;
  /** False for days whose hourly values the unit's grade declares invalid: only night fills. */
  hourlyValid: boolean;
  /** The profile value of an hour (clear-sky shape × the unit's recent same-hour scale), or null with no basis. */
  profile: ((hour: number) => number | null) | null;
  maxInterpolateHours: number;
  night_policy: "zero" | "none";
  long_policy: "profile" | "none";
}

/**
 * The 24 fills of one unit-day: measured hours stay measured; night hours get 0; runs of missing
 * daytime hours of at most `maxInterpolateHours` between two known hours of the same day (night
 * zeros count as known) are interpolated; longer or open-ended runs get the profile, or none.
 */
export function planPvDay(d: PvDayInput): Fill[] {
  const fills: Fill[] = d.measured.map((v) => (v === null ? { value: null, method: "none" } : { value: v, method: "measured" }));
  const known: (number | null)[] = [...d.measured];
  if (d.night && d.night_policy === "zero") {
    for (let h = 0; h < 24; h++) {
      if (known[h] === null && d.night[h]) {
        known[h] = 0;
        fills[h] = { value: 0, method: "night_zero" };
      }
    }
  }
  if (!d.hourlyValid) return fills;
  const linear = interpolateShortRuns(known, d.maxInterpolateHours);
  for (const [h, v] of linear) fills[h] = { value: v, method: "linear" };
  if (d.long_policy === "profile" && d.profile) {
    for (let h = 0; h < 24; h++) {
      if (fills[h].method !== "none") continue;
      const v = d.profile(h);
      if (v !== null && Number.isFinite(v)) fills[h] = { value: roundFill(Math.max(0, v)), method: "profile" };
    }
  }
  return fills;
}

export interface ProfileDay {
  measured: readonly (number | null)[];
  clearSky: readonly number[];
  hourlyValid: boolean;
}

/**
 * The unit's recent same-hour scale: Σ measured / Σ clear-sky shape at that hour over the given
 * days, from the days with a measured value there (at least `minDays` of them), else null.
 */
export function sameHourScale(history: readonly ProfileDay[], hour: number, minDays: number): number | null {
  let num = 0;
  let den = 0;
  let n = 0;
  for (const day of history) {
    const v = day.measured[hour];
    if (!day.hourlyValid || v === null || v === undefined || v < 0) continue;
    num += v;
    den += day.clearSky[hour];
    n++;
  }
  if (n < Math.max(1, minDays)) return null;
  if (den <= 1e-9) return num <= 1e-9 ? 0 : null;
  return num / den;
}

export interface SeriesFieldInput {
  /** Hourly grid values (null = not measured or no row). */
  measured: readonly (number | null)[];
  /** Grid slots whose measured interval is night at a unit that measures the field at all (→ 0). */
  nightZero: readonly boolean[] | null;
  maxInterpolateHours: number;
}

/**
 * Fills of one weather field over a station's hourly grid: night zeros where allowed, then linear
 * interpolation of gaps up to the field's limit (across midnight too: weather is continuous).
 * Slots without a fill are absent from the result.
 */
export function planSeriesField(f: SeriesFieldInput): Map<number, Fill> {
  const out = new Map<number, Fill>();
  const known: (number | null)[] = [...f.measured];
  if (f.nightZero) {
    for (let i = 0; i < known.length; i++) {
      if (known[i] === null && f.nightZero[i]) {
        known[i] = 0;
        out.set(i, { value: 0, method: "night_zero" });
      }
    }
  }
  for (const [i, v] of interpolateShortRuns(known, f.maxInterpolateHours)) out.set(i, { value: v, method: "linear" });
  return out;
}
