// Sun position for impute and checks: whether an interval is night at a place, and a clear-sky
// shape for filling long PV gaps. Uses suncalc, whose altitude unit changed between versions:
// 1.x returns radians, 2.x (installed here) degrees — @types/suncalc still documents radians. The
// unit is detected once from a known position instead of trusting either, so a worker that
// installs another version gets the same answers.
import { getPosition, getTimes } from "suncalc";
import { RecentCache } from "../runtime/recent_cache.ts";
import { kstMidnight } from "../time/kst.ts";

const HOUR_MS = 3_600_000;

/**
 * The altitude unit of a getPosition: the sun at solar noon on the equator at the March equinox
 * stands ~89.9° high, which is ~1.57 in radians and can only exceed 2 in degrees.
 */
export function detectAltitudeUnit(position: (date: Date, lat: number, lon: number) => { altitude: number }): "deg" | "rad" {
  return Math.abs(Number(position(new Date("2024-03-20T12:07:00Z"), 0, 0).altitude)) > 2 ? "deg" : "rad";
}

/** The installed suncalc's altitude unit, detected once at load. */
export const SUNCALC_ALTITUDE_UNIT = detectAltitudeUnit(getPosition);

/** Apparent sun altitude in degrees (whatever unit the installed suncalc returns). */
export function sunAltitudeDeg(t: Date, lat: number, lon: number): number {
  const a = Number(getPosition(t, lat, lon).altitude);
  return SUNCALC_ALTITUDE_UNIT === "deg" ? a : (a * 180) / Math.PI;
}

export interface SunDay {
  /** Sunrise/sunset (upper limb on the horizon, refraction included) as epoch ms; null when it does not happen. */
  sunrise: number | null;
  sunset: number | null;
  alwaysUp: boolean;
  alwaysDown: boolean;
}

/**
 * The last days asked, per place: a chunk asks each of its days once per check and 24 times per
 * impute. A backfill never comes back to a day it has finished; a cache of up to 50,000 days
 * (what it held before) grew with the range: ~5 MB of heap after 3,300 chunks of 10 years.
 */
const CACHED_DAYS = 4096;
const dayCache = new RecentCache<SunDay>(CACHED_DAYS);

const validMs = (d: unknown): number | null => {
  if (!(d instanceof Date)) return null;
  const t = d.getTime();
  return Number.isFinite(t) ? t : null;
};

/** Sunrise and sunset of a KST calendar day at a place (cached). */
export function sunDay(isoDate: string, lat: number, lon: number): SunDay {
  const key = `${isoDate}|${lat}|${lon}`;
  const hit = dayCache.get(key);
  if (hit) return hit;
  // Local noon picks the solar day of that calendar date anywhere near Korea's longitudes.
  const noon = new Date(kstMidnight(isoDate).getTime() + 12 * HOUR_MS);
  const t = getTimes(noon, lat, lon);
  const sunrise = validMs(t.sunrise);
  const sunset = validMs(t.sunset);
  // Some suncalc versions say so outright at polar day and night; the types do not declare it.
  let alwaysUp = "alwaysUp" in t && t.alwaysUp === true;
  let alwaysDown = "alwaysDown" in t && t.alwaysDown === true;
  if ((sunrise === null || sunset === null) && !alwaysUp && !alwaysDown) {
    // suncalc 1.x gives Invalid Date at polar day/night without saying which; look at solar noon.
    const solarNoon = validMs(t.solarNoon) ?? noon.getTime();
    if (sunAltitudeDeg(new Date(solarNoon), lat, lon) > 0) alwaysUp = true;
    else alwaysDown = true;
  }
  const out: SunDay = { sunrise, sunset, alwaysUp, alwaysDown };
  dayCache.set(key, out);
  return out;
}

/** The KST calendar date an instant falls on (Asia/Seoul has been UTC+9 without DST since 1988). */
export const kstDateOf = (ms: number): string => new Date(ms + 9 * HOUR_MS).toISOString().slice(0, 10);

/**
 * Whether the sun is below the horizon during the whole interval [startMs, endMs) — before that
 * day's sunrise or after its sunset. An interval that touches daylight at all is not night.
 */
export function isNightInterval(startMs: number, endMs: number, lat: number, lon: number): boolean {
  const day = sunDay(kstDateOf((startMs + endMs) / 2), lat, lon);
  if (day.alwaysDown) return true;
  if (day.alwaysUp) return false;
  return (day.sunrise !== null && endMs <= day.sunrise) || (day.sunset !== null && startMs >= day.sunset);
}

/** Night flags of the 24 hours (interval start 00:00 … 23:00 KST) of a calendar day. */
export function nightHours(isoDate: string, lat: number, lon: number): boolean[] {
  const m = kstMidnight(isoDate).getTime();
  return Array.from({ length: 24 }, (_, h) => isNightInterval(m + h * HOUR_MS, m + (h + 1) * HOUR_MS, lat, lon));
}

const SAMPLES = 6; // 10-minute integration
const csCache = new RecentCache<number[]>(CACHED_DAYS);

/**
 * Clear-sky shape of the 24 hours of a day: the mean over the hour of sin(altitude)^1.15, the
 * shape of global horizontal irradiance in the Adnot–Bourges–Campana–Gicquel clear-sky model
 * (GHI = 951.39 · cos(zenith)^1.15). Only the shape matters: impute scales it per plant and hour.
 */
export function clearSkyHours(isoDate: string, lat: number, lon: number): number[] {
  const key = `${isoDate}|${lat}|${lon}`;
  const hit = csCache.get(key);
  if (hit) return hit;
  const m = kstMidnight(isoDate).getTime();
  const out = Array.from({ length: 24 }, (_, h) => {
    let s = 0;
    for (let k = 0; k < SAMPLES; k++) {
      const alt = sunAltitudeDeg(new Date(m + h * HOUR_MS + ((k + 0.5) * HOUR_MS) / SAMPLES), lat, lon);
      if (alt > 0) s += Math.sin((alt * Math.PI) / 180) ** 1.15;
    }
    return s / SAMPLES;
  });
  csCache.set(key, out);
  return out;
}
