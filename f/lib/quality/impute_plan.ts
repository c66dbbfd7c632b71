// The pure part of impute: given measured values on an hourly grid, which value and method each
// missing hour gets. No database, no clock — the unit tests drive these directly.
/** Every method the serving tables accept; `spline` and `profile` are allowed but no longer produced. */
export type FillMethod = "measured" | "night_zero" | "sibling_csi" | "station_csi" | "clear_sky_index" | "linear" | "spline" | "profile" | "none";
/** The methods of filled (not measured) values, in the order reports list them. */
export const FILLED_METHODS = ["night_zero", "sibling_csi", "station_csi", "clear_sky_index", "linear", "spline", "profile", "none"] as const satisfies readonly FillMethod[];
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
  /**
   * Where the sky of a gap can be read while the unit's meter was out: the measured output of the
   * other units of its site (`sibling_csi`), else the radiation of its weather station
   * (`station_csi`). Null: the unit's own hours only (`clear_sky_index`).
   */
  references: PvReferenceRules | null;
}

/** How a PV asset borrows the sky of a gap from measured series that share it (docs/QUALITY.md). */
export interface PvReferenceRules {
  /**
   * Other units of the same asset at most `maxKm` away: one site, the same clouds (`sibling_csi`).
   * Null: none.
   */
  sibling: { maxKm: number; maxMismatch: number } | null;
  /**
   * The plant's weather station with a pyranometer (the plant → station mapping of
   * pv_weather_hourly) when it is at most `maxKm` away: `field` of the weather asset `asset`,
   * accumulated over the hour ending at the observation time (`station_csi`). Null: none.
   */
  station: { asset: string; field: string; maxKm: number; maxMismatch: number } | null;
  /**
   * A reference serves a unit-day only when, scaled by one factor, it reproduces the unit's own
   * measured hours of that day (clear-sky output above the anchor floor) within its `maxMismatch`
   * (weighted absolute error) and better than the clear-sky shape does, over at least this many
   * hours measured by both — a sibling with a broken meter, or a station under other clouds, does not.
   */
  minAgreementHours: number;
}

/**
 * A measured series sharing the unit's sky, in the unit's clear-sky frame: the reference's
 * value ÷ its own clear-sky output × the unit's (any scale), null where it was not measured.
 */
export interface PvReference {
  method: "sibling_csi" | "station_csi";
  /** Who it is (a unit key, a station), for reports and tests. */
  source: string;
  shape: readonly (number | null)[];
}

/**
 * A reference's measured values moved into the unit's clear-sky frame: value × unit clear-sky ÷
 * reference clear-sky, hour by hour (the same sky index at a place with another sun); null where
 * the reference has no value or no sun.
 */
export function referenceShape(values: readonly (number | null)[], referenceClearSky: readonly number[], unitClearSky: readonly number[]): (number | null)[] {
  return values.map((v, h) => (v === null || !(referenceClearSky[h] > 0) ? null : (v * unitClearSky[h]) / referenceClearSky[h]));
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
  /**
   * Measured series of the same day that share the unit's sky, in order of preference (siblings,
   * then the station); only used when `rules.references` is set.
   */
  references?: readonly PvReference[];
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
 * around it — in the shape of a reference that shares the unit's sky and was measured through the
 * run (`sibling_csi`, `station_csi`: referenceFor), else in the clear-sky shape (`clear_sky_index`),
 * or linear without coordinates; longer runs stay NULL and are reported. Uses no other day, so the
 * first and last day of a range are filled like any other.
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
  // Each reference's agreement with the unit's day (null: it does not qualify), computed once when first needed.
  let agreement: (number | null)[] | null = null;
  const agreements = (): (number | null)[] =>
    (agreement ??= (d.references ?? []).map((ref) => {
      const rules = d.rules.references!;
      const maxMismatch = (ref.method === "sibling_csi" ? rules.sibling : rules.station)?.maxMismatch;
      if (maxMismatch === undefined) return null;
      const a = referenceAgreement(d.measured, d.night!, d.clearSky!, ref.shape, d.rules.anchorMinClearSky);
      // It must explain the day within its limit, and better than the clear-sky shape does.
      const qualifies = a.mismatch !== null && a.hours >= rules.minAgreementHours && a.mismatch <= maxMismatch && (a.clearSkyMismatch === null || a.mismatch < a.clearSkyMismatch);
      return qualifies ? a.mismatch : null;
    }));
  for (const run of nullRuns(known)) {
    const hours = run.end - run.start + 1;
    if (hours > maxLen) {
      unfilled.push({ start: run.start, hours, reason: "too_long" });
      continue;
    }
    const csi = withSun && d.rules.daytime === "clear_sky_index";
    let values: Map<number, number> | null = null;
    let method: FillMethod = csi ? "clear_sky_index" : "linear";
    if (csi) {
      const ref = referenceFor(d, run, agreements);
      if (ref) {
        values = clearSkyIndexRun(d.measured, d.night!, ref.shape.map((x) => x ?? 0), run, d.rules.anchorMinClearSky, d.rules.oneSidedRelaxHours);
        method = ref.method;
      }
      if (values === null) {
        values = clearSkyIndexRun(d.measured, d.night!, d.clearSky!, run, d.rules.anchorMinClearSky, d.rules.oneSidedRelaxHours);
        method = "clear_sky_index";
      }
    } else if (run.start > 0 && run.end < 23) values = interpolateRun(known, run);
    if (values === null) {
      unfilled.push({ start: run.start, hours, reason: "no_anchor" });
      continue;
    }
    for (const [h, v] of values) fills[h] = { value: v, method };
  }
  return { fills, unfilled };
}

/**
 * How well a reference, scaled by one factor, reproduces the unit's measured hours of the day:
 * over the hours measured by both whose clear-sky output is at least `minShare` of the day's peak,
 * c = Σ unit ÷ Σ reference and mismatch = Σ|unit − c · reference| ÷ Σ unit; `clearSkyMismatch`
 * is the same for the clear-sky shape (what the unit's own index would explain). Null mismatches
 * when there is nothing to compare (no such hour, or nothing measured by one of them).
 */
export function referenceAgreement(
  measured: readonly (number | null)[],
  night: readonly boolean[],
  clearSky: readonly number[],
  shape: readonly (number | null)[],
  minShare: number,
): { hours: number; mismatch: number | null; clearSkyMismatch: number | null } {
  const floor = minShare * Math.max(...clearSky);
  const hours: number[] = [];
  for (let h = 0; h < measured.length; h++) {
    if (measured[h] !== null && shape[h] !== null && !night[h] && clearSky[h] > 0 && clearSky[h] >= floor) hours.push(h);
  }
  const fit = (ref: (h: number) => number): number | null => {
    let m = 0;
    let r = 0;
    for (const h of hours) {
      m += measured[h]!;
      r += ref(h);
    }
    if (!(m > 0) || !(r > 0)) return null;
    let err = 0;
    for (const h of hours) err += Math.abs(measured[h]! - (m / r) * ref(h));
    return err / m;
  };
  return { hours: hours.length, mismatch: fit((h) => shape[h]!), clearSkyMismatch: fit((h) => clearSky[h]) };
}

/**
 * The reference a run is filled from: one that was measured at every hour of the run and agrees
 * with the unit's day (referenceAgreement within the rules) — the best-agreeing sibling, else the
 * station. Null when none qualifies: the run falls back to the unit's own clear-sky index.
 */
function referenceFor(d: PvDayInput, run: { start: number; end: number }, agreements: () => (number | null)[]): PvReference | null {
  const refs = d.references ?? [];
  if (!d.rules.references || refs.length === 0) return null;
  const mismatch = agreements();
  const covers = (ref: PvReference) => {
    for (let h = run.start; h <= run.end; h++) if (ref.shape[h] === null) return false;
    return true;
  };
  for (const method of ["sibling_csi", "station_csi"] as const) {
    let best: number | null = null;
    for (let i = 0; i < refs.length; i++) {
      const m = mismatch[i];
      if (refs[i].method !== method || m === null || !covers(refs[i])) continue;
      if (best === null || m < mismatch[best]!) best = i;
    }
    if (best !== null) return refs[best];
  }
  return null;
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
