// A synthetic daily cloudiness field shared by the simulators (KOSPO generation now, weather later), so
// simulated generation and simulated irradiance agree. Pure function of (date, lat, lon): value noise on a
// 1.5° grid, bilinear in space, with day-to-day persistence and a cloudier monsoon (장마) around mid-July.

const GRID_DEG = 1.5;
const DAY_MS = 86_400_000;

/** Deterministic 32-bit integer hash of a few integers → [0, 1). */
function hash01(a: number, b: number, c: number): number {
  let h = 0x9e3779b9 ^ Math.imul(a, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39) ^ Math.imul(c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** Smooth noise in [0, 1] for one day at one point. */
function dayNoise(day: number, lat: number, lon: number): number {
  const x = lon / GRID_DEG;
  const y = lat / GRID_DEG;
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = x - i;
  const fy = y - j;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const v00 = hash01(day, i, j);
  const v10 = hash01(day, i + 1, j);
  const v01 = hash01(day, i, j + 1);
  const v11 = hash01(day, i + 1, j + 1);
  return (v00 * (1 - sx) + v10 * sx) * (1 - sy) + (v01 * (1 - sx) + v11 * sx) * sy;
}

/** Share of clear-sky output reaching the ground that day, in [0.15, 1]; 1 = clear. */
export function cloudinessFactor(isoDate: string, lat: number, lon: number): number {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (!Number.isFinite(t)) throw new RangeError(`cloudinessFactor: "${isoDate}" is not a date`);
  const day = Math.round(t / DAY_MS);
  const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY_MS;
  const noise = 0.6 * dayNoise(day, lat, lon) + 0.4 * dayNoise(day - 1, lat, lon); // weather lasts a few days
  const monsoon = 0.3 * Math.exp(-(((doy - 195) / 18) ** 2));
  const clear = Math.min(1, Math.max(0, noise * 1.25 - monsoon)); // skew towards clear days
  return 0.15 + 0.85 * clear;
}
