import { getPosition } from "suncalc";
import { describe, expect, it } from "vitest";
import { clearSkyHours, detectAltitudeUnit, isNightInterval, nightHours, SUNCALC_ALTITUDE_UNIT, sunAltitudeDeg, sunDay } from "../../f/lib/quality/sun.ts";
import { kstMidnight } from "../../f/lib/time/kst.ts";

const SEOUL = { lat: 37.5665, lon: 126.978 };
const JEJU = { lat: 33.4996, lon: 126.5312 };
const kst = (ms: number | null) => new Date(ms! + 9 * 3_600_000).toISOString().slice(11, 16);

describe("suncalc altitude unit", () => {
  it("the installed suncalc (2.x) returns degrees, though @types/suncalc says radians; we detect it", () => {
    expect(SUNCALC_ALTITUDE_UNIT).toBe("deg");
    // Seoul, summer solstice, 12:30 KST: the sun stands ~76° high.
    const raw = getPosition(new Date("2024-06-21T12:30:00+09:00"), SEOUL.lat, SEOUL.lon).altitude;
    expect(raw).toBeGreaterThan(70);
    expect(sunAltitudeDeg(new Date("2024-06-21T12:30:00+09:00"), SEOUL.lat, SEOUL.lon)).toBeCloseTo(raw, 9);
  });

  it("a suncalc 1.x-style getPosition (radians) is recognised as such", () => {
    const radians = (d: Date, lat: number, lon: number) => ({ altitude: (getPosition(d, lat, lon).altitude * Math.PI) / 180 });
    expect(detectAltitudeUnit(radians)).toBe("rad");
    expect(detectAltitudeUnit(getPosition)).toBe("deg");
  });
});

describe("night detection at real coordinates", () => {
  it("Seoul 2024-06-21 (summer solstice): hour 05 is daylight, hour 20 is night", () => {
    const night = nightHours("2024-06-21", SEOUL.lat, SEOUL.lon);
    expect(night[5]).toBe(false); // sunrise ~05:11: the 05:00–06:00 interval is mostly daylight
    expect(night[20]).toBe(true); // sunset ~19:56: 20:00–21:00 is all dark
    expect(night[4]).toBe(true);
    expect(night[19]).toBe(false); // 19:00–19:56 is still daylight
    expect(night.map((n, h) => (n ? h : -1)).filter((h) => h >= 0)).toEqual([0, 1, 2, 3, 4, 20, 21, 22, 23]);
    expect(kst(sunDay("2024-06-21", SEOUL.lat, SEOUL.lon).sunrise)).toBe("05:11");
  });

  it("Seoul 2024-12-21 (winter solstice): night until 07:00 and from 18:00", () => {
    const night = nightHours("2024-12-21", SEOUL.lat, SEOUL.lon);
    expect(night.map((n, h) => (n ? h : -1)).filter((h) => h >= 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 18, 19, 20, 21, 22, 23]);
  });

  it("Jeju and Seoul sunrise differ: later in Jeju in June, earlier in December; 2024-04-15 05:00 is day in Seoul, night in Jeju", () => {
    const s = sunDay("2024-06-21", SEOUL.lat, SEOUL.lon);
    const j = sunDay("2024-06-21", JEJU.lat, JEJU.lon);
    expect(j.sunrise! - s.sunrise!).toBeGreaterThan(10 * 60_000);
    const sw = sunDay("2024-12-21", SEOUL.lat, SEOUL.lon);
    const jw = sunDay("2024-12-21", JEJU.lat, JEJU.lon);
    expect(sw.sunrise! - jw.sunrise!).toBeGreaterThan(5 * 60_000);
    expect(nightHours("2024-04-15", SEOUL.lat, SEOUL.lon)[5]).toBe(false);
    expect(nightHours("2024-04-15", JEJU.lat, JEJU.lon)[5]).toBe(true);
  });

  it("an interval is night only if all of it is: the hour ending at sunrise is night, the one containing it is not", () => {
    const { sunrise } = sunDay("2024-06-21", SEOUL.lat, SEOUL.lon);
    expect(isNightInterval(sunrise! - 3_600_000, sunrise!, SEOUL.lat, SEOUL.lon)).toBe(true);
    expect(isNightInterval(sunrise! - 3_600_000, sunrise! + 60_000, SEOUL.lat, SEOUL.lon)).toBe(false);
    // An interval across midnight belongs to the night of both days.
    const m = kstMidnight("2024-06-22").getTime();
    expect(isNightInterval(m - 3_600_000, m, SEOUL.lat, SEOUL.lon)).toBe(true);
  });

  it("the clear-sky shape is zero at night, peaks around solar noon and is higher in June than in December", () => {
    const june = clearSkyHours("2024-06-21", SEOUL.lat, SEOUL.lon);
    const dec = clearSkyHours("2024-12-21", SEOUL.lat, SEOUL.lon);
    expect(june[2]).toBe(0);
    expect(june[21]).toBe(0);
    expect(june.indexOf(Math.max(...june))).toBe(12); // 12:00–13:00 (solar noon ~12:34 KST)
    expect(june[12]).toBeGreaterThan(dec[12]);
    expect(dec[6]).toBe(0);
  });
});
