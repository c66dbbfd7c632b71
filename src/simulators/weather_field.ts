// The synthetic sky shared by every simulator (KOSPO and KOEN generation, ASOS radiation, sunshine
// and cloud), so a cloudy day at a plant is cloudy at its station. Pure functions of (time, lat, lon):
// value noise on a 1.5° grid, bilinear in space, so places tens of km apart see nearly the same sky.
// - cloudinessFactor: the day's level, with day-to-day persistence and a cloudier monsoon (장마)
//   around mid-July; about one day in eight is clear, one in fifty overcast.
// - skyFactor: the instant's share of clear-sky output. Clear days stay at their level; cloudy days
//   change within the day — a front that clears or closes in over the day, and cloud banks that
//   come and go over a few hours — most on partly cloudy days, less under a uniform overcast.
// The field is ~150 km across; what differs between the arrays of one site (cloud edges crossing
// them at different moments, orientation) is added per PV unit by unit_sky.ts.

const GRID_DEG = 1.5;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Cloud banks: knots of the intraday noise every this many hours (smoothstep between them). */
const BANK_HOURS = 2;
/** Salts of the independent noise streams (kept far from day and knot numbers). */
const STREAM = { day: 0, front: 0x51f15e, banks: 0x2b1d7a3 } as const;

/** Deterministic 32-bit integer hash of a few integers → [0, 1). */
function hash01(a: number, b: number, c: number): number {
  let h = 0x9e3779b9 ^ Math.imul(a, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39) ^ Math.imul(c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

const smooth = (f: number) => f * f * (3 - 2 * f);

/** Weights of the four grid nodes around a point (bilinear with smoothstep). */
function gridWeights(lat: number, lon: number): { i: number; j: number; w: [number, number, number, number] } {
  const x = lon / GRID_DEG;
  const y = lat / GRID_DEG;
  const i = Math.floor(x);
  const j = Math.floor(y);
  const sx = smooth(x - i);
  const sy = smooth(y - j);
  return { i, j, w: [(1 - sx) * (1 - sy), sx * (1 - sy), (1 - sx) * sy, sx * sy] };
}

/** Smooth noise in [0, 1] for one step `k` of a stream at one point. */
function gridNoise(stream: number, k: number, lat: number, lon: number): number {
  const { i, j, w } = gridWeights(lat, lon);
  return w[0] * hash01(k ^ stream, i, j) + w[1] * hash01(k ^ stream, i + 1, j) + w[2] * hash01(k ^ stream, i, j + 1) + w[3] * hash01(k ^ stream, i + 1, j + 1);
}

/**
 * The same noise rescaled to unit variance around 0 (blending four nodes shrinks it by a factor
 * that depends on where the point lies in its cell, as smoothly as the blend itself).
 */
function gridNoiseStd(stream: number, k: number, lat: number, lon: number): number {
  const { w } = gridWeights(lat, lon);
  const shrink = Math.sqrt(w[0] ** 2 + w[1] ** 2 + w[2] ** 2 + w[3] ** 2);
  return (gridNoise(stream, k, lat, lon) - 0.5) / (shrink * Math.sqrt(1 / 12));
}

const dayNumber = (isoDate: string): number => {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (!Number.isFinite(t)) throw new RangeError(`weather field: "${isoDate}" is not a date`);
  return Math.round(t / DAY_MS);
};

/** The level of day number `day` (days since 1970-01-01). */
function dayLevel(day: number, lat: number, lon: number): number {
  const t = day * DAY_MS;
  const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY_MS;
  const noise = 0.6 * gridNoise(STREAM.day, day, lat, lon) + 0.4 * gridNoise(STREAM.day, day - 1, lat, lon); // weather lasts a few days
  const monsoon = 0.3 * Math.exp(-(((doy - 195) / 18) ** 2));
  const clear = Math.min(1, Math.max(0, (noise - 0.2) * 2.2 - monsoon)); // ~1 day in 8 clear, ~1 in 50 overcast
  return 0.15 + 0.85 * clear;
}

/** Share of clear-sky output reaching the ground that day (its level), in [0.15, 1]; 1 = clear. */
export function cloudinessFactor(isoDate: string, lat: number, lon: number): number {
  return dayLevel(dayNumber(isoDate), lat, lon);
}

/**
 * Share of clear-sky output reaching the ground at an instant, in [0.05, 1]: the day's level plus,
 * on cloudy days, a front (a linear change from morning to evening, either way) and cloud banks
 * (unit-variance noise with knots every 2 h). Their amplitude is largest on partly cloudy days
 * (0.02 + 0.5·o·(1−o), o = how overcast the day is: ≈ 0.15 at o = ½) and 0 on clear ones.
 */
export function skyFactor(ms: number, lat: number, lon: number): number {
  const day = Math.floor((ms + 9 * HOUR_MS) / DAY_MS); // the KST calendar day
  const level = dayLevel(day, lat, lon);
  const o = (1 - level) / 0.85; // 0 clear … 1 overcast
  if (o <= 0) return 1;
  const amplitude = 0.02 + 0.5 * o * (1 - o);
  const hourOfDay = (ms + 9 * HOUR_MS - day * DAY_MS) / HOUR_MS; // KST
  const front = 2 * gridNoise(STREAM.front, day, lat, lon) - 1; // −1 clearing … +1 closing in
  const frontTerm = -front * Math.max(-1, Math.min(1, (hourOfDay - 12.5) / 5));
  const knot = (ms + 9 * HOUR_MS) / (BANK_HOURS * HOUR_MS);
  const k = Math.floor(knot);
  const f = smooth(knot - k);
  const banks = gridNoiseStd(STREAM.banks, k, lat, lon) * (1 - f) + gridNoiseStd(STREAM.banks, k + 1, lat, lon) * f;
  return Math.min(1, Math.max(0.05, level + amplitude * (0.8 * frontTerm + banks)));
}
