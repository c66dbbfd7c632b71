// The pure part of impute: given measured values on an hourly grid, which value and method each
// missing hour gets. No database, no clock — the unit tests drive these directly.
export type FillMethod = "measured" | "night_zero" | "clear_sky_index" | "linear" | "spline" | "profile" | "none";
/** Every method the serving tables accept; `spline` and `profile` are allowed but no longer produced. */
/** The methods of filled (not measured) values, in the order reports list them. */
export const FILLED_METHODS = ["night_zero", "clear_sky_index", "linear", "spline", "profile", "none"] as const satisfies readonly FillMethod[];
export type FilledMethod = (typeof FILLED_METHODS)[number];

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

/** Linear interpolation of one run of nulls between the known values just outside it (both must exist). */
function interpolateRun(known: readonly (number | null)[], r: { start: number; end: number }): Map<number, number> {
  const out = new Map<number, number>();
  const left = r.start - 1;
  const right = r.end + 1;
  const a = known[left] as number;
  const b = known[right] as number;
  for (let i = r.start; i <= r.end; i++) out.set(i, roundFill(a + ((b - a) * (i - left)) / (right - left)));
  return out;
}

/**
 * Linear interpolation of every run of at most `maxLen` nulls that has a known value on both sides.
 * Returns slot → value for the filled slots; longer or one-sided runs are left out.
 */
export function interpolateShortRuns(known: readonly (number | null)[], maxLen: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of nullRuns(known)) {
    if (r.end - r.start + 1 > maxLen || r.start === 0 || r.end === known.length - 1) continue;
    for (const [i, v] of interpolateRun(known, r)) out.set(i, v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PV

/** How a PV asset's gaps are filled (the numbers of the asset's fill policy). */
export interface PvFillRules {
  /** Hours whose whole interval has the sun below the horizon: `zero` fills them with 0. */
  night: "zero" | "none";
  /**
   * Daytime gaps at units with coordinates: the clear-sky index (measured ÷ clear-sky output)
   * interpolated between the measured hours around the gap and multiplied back, or plain linear.
   */
  daytime: "clear_sky_index" | "linear";
  /** Daytime gaps longer than this many hours stay NULL (`none`) and are reported as unfilled. */
  maxGapHours: number;
  /** Units without coordinates (no sun position): linear over gaps of at most this many hours. */
  noCoordinatesMaxGapHours: number;
  /**
   * A measured hour anchors the clear-sky index only where the clear-sky output is at least this
   * share of the day's peak: near sunrise and sunset the ratio of two small numbers is mostly noise.
   */
  anchorMinClearSky: number;
  /**
   * A gap with a usable hour on one side only (it reaches sunrise or sunset) starts from that
   * hour's index and relaxes towards the index of the whole measured day, with this time constant
   * (hours): far from its last reading the sky is best guessed by the day's.
   */
  oneSidedRelaxHours: number;
}

export interface PvDayInput {
  /** Measured values of the 24 hours (interval start 00:00 … 23:00); null = not measured or no row. */
  measured: readonly (number | null)[];
  /** Night flags of the 24 hours, or null when the unit has no coordinates (no night, no clear sky). */
  night: readonly boolean[] | null;
  /** Clear-sky shape of the 24 hours at the unit (any scale), or null without coordinates. */
  clearSky: readonly number[] | null;
  /** False for days whose hourly values the unit's grade declares invalid: only night fills. */
  hourlyValid: boolean;
  rules: PvFillRules;
}

/** A daytime run of missing hours left NULL: longer than the rules allow, or with nothing to anchor it. */
export interface UnfilledGap {
  /** First hour (0–23) and length in hours. */
  start: number;
  hours: number;
  reason: "too_long" | "no_anchor";
}

export interface PvDayPlan {
  fills: Fill[];
  unfilled: UnfilledGap[];
}

/**
 * The 24 fills of one unit-day: measured hours stay measured; night hours get 0; each run of
 * missing daytime hours of at most `maxGapHours` is filled from the same day's measured hours
 * around it (clear-sky index, or linear); longer runs stay NULL and are reported. Uses no other day,
 * so the first and last day of a range are filled like any other.
 */
export function planPvDay(d: PvDayInput): PvDayPlan {
  const fills: Fill[] = d.measured.map((v) => (v === null ? { value: null, method: "none" } : { value: v, method: "measured" }));
  const known: (number | null)[] = [...d.measured];
  const unfilled: UnfilledGap[] = [];
  if (d.night && d.rules.night === "zero") {
    for (let h = 0; h < 24; h++) {
      if (known[h] === null && d.night[h]) {
        known[h] = 0;
        fills[h] = { value: 0, method: "night_zero" };
      }
    }
  }
  if (!d.hourlyValid) return { fills, unfilled };
  const withSun = d.night !== null && d.clearSky !== null;
  const maxLen = withSun ? d.rules.maxGapHours : d.rules.noCoordinatesMaxGapHours;
  for (const run of nullRuns(known)) {
    const hours = run.end - run.start + 1;
    if (hours > maxLen) {
      unfilled.push({ start: run.start, hours, reason: "too_long" });
      continue;
    }
    const values =
      withSun && d.rules.daytime === "clear_sky_index"
        ? clearSkyIndexRun(d.measured, d.night!, d.clearSky!, run, d.rules.anchorMinClearSky, d.rules.oneSidedRelaxHours)
        : run.start > 0 && run.end < 23
          ? interpolateRun(known, run)
          : null;
    if (values === null) {
      unfilled.push({ start: run.start, hours, reason: "no_anchor" });
      continue;
    }
    const method: FillMethod = withSun && d.rules.daytime === "clear_sky_index" ? "clear_sky_index" : "linear";
    for (const [h, v] of values) fills[h] = { value: v, method };
  }
  return { fills, unfilled };
}

/**
 * Fills of one daytime run from the clear-sky index k = measured ÷ clear-sky at the nearest usable
 * measured hour on each side (same day, not night, clear-sky ≥ `minShare` of the day's peak): k is
 * interpolated linearly between the two and multiplied by each hour's clear-sky output. With an
 * anchor on one side only (a gap reaching sunrise or sunset), k starts from it and relaxes towards
 * the day's index (Σ measured ÷ Σ clear-sky over its usable hours) with time constant
 * `relaxHours`. Null when neither side has an anchor.
 */
export function clearSkyIndexRun(
  measured: readonly (number | null)[],
  night: readonly boolean[],
  clearSky: readonly number[],
  run: { start: number; end: number },
  minShare: number,
  relaxHours = Infinity,
): Map<number, number> | null {
  const floor = minShare * Math.max(...clearSky);
  const usable = (h: number) => measured[h] !== null && !night[h] && clearSky[h] > 0 && clearSky[h] >= floor;
  const anchor = (from: number, step: -1 | 1): { h: number; k: number } | null => {
    for (let h = from; h >= 0 && h < measured.length; h += step) {
      if (measured[h] === null || night[h]) return null;
      if (usable(h)) return { h, k: measured[h]! / clearSky[h] };
    }
    return null;
  };
  const left = anchor(run.start - 1, -1);
  const right = anchor(run.end + 1, 1);
  if (!left && !right) return null;
  let dayIndex = 0;
  if (!left || !right) {
    let m = 0;
    let c = 0;
    for (let h = 0; h < measured.length; h++) {
      if (!usable(h)) continue;
      m += measured[h]!;
      c += clearSky[h];
    }
    dayIndex = m / c; // c > 0: the anchor itself is usable
  }
  const out = new Map<number, number>();
  for (let h = run.start; h <= run.end; h++) {
    let k: number;
    if (left && right) k = left.k + ((right.k - left.k) * (h - left.h)) / (right.h - left.h);
    else {
      const a = (left ?? right)!;
      k = dayIndex + (a.k - dayIndex) * Math.exp(-Math.abs(h - a.h) / relaxHours);
    }
    out.set(h, roundFill(Math.max(0, k * clearSky[h])));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Weather

export interface SeriesFieldInput {
  /** Hourly grid values (null = not measured or no row). */
  measured: readonly (number | null)[];
  /**
   * instantaneous: a reading at the row's time, interpolated linearly over gaps of at most
   * `maxInterpolateHours`; accumulated: a total over an hour, never interpolated — only 0 where the
   * whole hour it covers is night (`nightZero`).
   */
  kind: "instantaneous" | "accumulated";
  maxInterpolateHours: number;
  /** Accumulated fields: slots whose whole interval is night at a unit that measures the field (→ 0). */
  nightZero: readonly boolean[] | null;
}

/**
 * Fills of one weather field over a station's hourly grid. Instantaneous fields: linear over short
 * gaps (across midnight too: weather is continuous). Accumulated fields: 0 for whole-night hours, no
 * other fill. Slots without a fill are absent from the result.
 */
export function planSeriesField(f: SeriesFieldInput): Map<number, Fill> {
  const out = new Map<number, Fill>();
  if (f.kind === "accumulated") {
    if (f.nightZero) {
      for (let i = 0; i < f.measured.length; i++) if (f.measured[i] === null && f.nightZero[i]) out.set(i, { value: 0, method: "night_zero" });
    }
    return out;
  }
  for (const [i, v] of interpolateShortRuns(f.measured, f.maxInterpolateHours)) out.set(i, { value: v, method: "linear" });
  return out;
}
