// What makes one simulated PV unit differ from another unit of the same site. The sky of
// weather_field.ts is one smooth field ~150 km across, so without this every unit at the same
// coordinates would have exactly the same clear-sky index every hour and a sibling would be a
// perfect reference for a gap. Real units of one plant are not: cloud edges cross a site's arrays at
// different moments, and arrays differ in orientation. Two pure functions of the unit's identity
// (and the time), deterministic like the rest of the simulators:
// - unitSkyFactor: a multiplicative small-scale sky perturbation, 1 + σ(s)·n(t). n is unit-variance
//   noise with a knot every hour (KST hour boundaries, smoothstep between), independent per unit;
//   σ grows with how broken the sky is: σ(s) = 0.02 + 0.06·4s(1−s) for the site's sky factor s, i.e. 2 %
//   of knot-to-knot noise under a clear sky (≈ 1.4 % on an hour's energy), 8 % at s = ½ (≈ 5.5 %
//   hourly) and 4–7 % (≈ 3–5 % hourly) over the cloudy range s = 0.15–0.8 — less under a uniform
//   overcast, where the light is diffuse and the same everywhere.
// - unitOrientationFactor: a fixed azimuth offset γ of the unit's arrays, uniform in ±5°, for a
//   30° tilt: 1 + sin 30°·γ·cos(alt)·sin(sun azimuth from south) (the first-order change of the
//   plane-of-array incidence), so on a clear day a unit facing a little east gives up to ≈ 4 % more
//   in the early morning and less in the late afternoon than its sibling, with the same noon and
//   about the same day's total.
import { coin } from "./coin.ts";
import { RecentCache } from "../../f/lib/runtime/recent_cache.ts";

const HOUR_MS = 3_600_000;
const smooth = (f: number) => f * f * (3 - 2 * f);

/** Unit-variance noise of knot `k` of a unit (sum of three uniforms, bounded ±3). */
function knotNoise(unitId: string, k: number): number {
  return 2 * (coin(`usky|${unitId}|${k}|a`) + coin(`usky|${unitId}|${k}|b`) + coin(`usky|${unitId}|${k}|c`) - 1.5);
}

const knotCache = new RecentCache<number>(16_384);
function knot(unitId: string, k: number): number {
  const key = `${unitId}|${k}`;
  let v = knotCache.get(key);
  if (v === undefined) {
    v = knotNoise(unitId, k);
    knotCache.set(key, v);
  }
  return v;
}

let around = { unitId: "", k: Number.NaN, a: 0, b: 0 };

/** Standard deviation of the knot noise for a site's sky factor s (0.02 clear … 0.08 at s = ½). */
export function unitSkySigma(s: number): number {
  const x = Math.min(1, Math.max(0, s));
  return 0.02 + 0.06 * 4 * x * (1 - x);
}

/**
 * The unit's own share of clear-sky output at instant `ms`, given the site's sky factor `s`
 * (skyFactor of weather_field.ts): s·(1 + σ(s)·n(t)), kept in [0.03, 1.1] (cloud-edge enhancement
 * can lift an array a little above clear sky).
 */
export function unitSkyFactor(unitId: string, ms: number, s: number): number {
  const x = (ms + 9 * HOUR_MS) / HOUR_MS; // KST hours since the epoch
  const k = Math.floor(x);
  const f = smooth(x - k);
  // A day's values are integrated over 10-minute steps: six in a row share the hour's two knots.
  if (unitId !== around.unitId || k !== around.k) around = { unitId, k, a: knot(unitId, k), b: knot(unitId, k + 1) };
  const n = around.a * (1 - f) + around.b * f;
  return Math.min(1.1, Math.max(0.03, s * (1 + unitSkySigma(s) * n)));
}

/** The unit's fixed azimuth offset, degrees in [−5, 5] (positive = west of south). */
export function unitAzimuthOffsetDeg(unitId: string): number {
  return 10 * coin(`uaz|${unitId}`) - 5;
}

/**
 * Output of the unit's arrays relative to a south-facing one for a sun at altitude `altDeg` and
 * azimuth `azDeg` (suncalc 2: degrees, clockwise from north).
 */
export function unitOrientationFactor(unitId: string, altDeg: number, azDeg: number): number {
  const gamma = (unitAzimuthOffsetDeg(unitId) * Math.PI) / 180;
  const fromSouth = ((azDeg - 180) * Math.PI) / 180; // + west
  return 1 + Math.sin(Math.PI / 6) * gamma * Math.cos((altDeg * Math.PI) / 180) * Math.sin(fromSouth);
}
