import { describe, expect, it } from "vitest";
import { clockSetting, now, parseInstant, setClock } from "../../f/lib/time/clock.ts";
import { addDays, eachDay, formatKst, isoDate, labelToIntervalStart, monthEnd, normalizeYmd, parseIsoDate, parseKstWallClock, splitByMonth, todayKst, yesterdayKst } from "../../f/lib/time/kst.ts";

describe("hour convention", () => {
  it("maps label 1 to 00:00 and label 24 to 23:00 of the same KST day", () => {
    expect(formatKst(labelToIntervalStart("2024-06-01", 1))).toBe("2024-06-01 00:00");
    expect(formatKst(labelToIntervalStart("2024-06-01", 12))).toBe("2024-06-01 11:00");
    expect(formatKst(labelToIntervalStart("2024-06-01", 24))).toBe("2024-06-01 23:00");
    expect(labelToIntervalStart("2024-06-01", 1).toISOString()).toBe("2024-05-31T15:00:00.000Z");
  });
  it("rejects labels outside 1..24", () => {
    expect(() => labelToIntervalStart("2024-06-01", 0)).toThrow(/1\.\.24/);
    expect(() => labelToIntervalStart("2024-06-01", 25)).toThrow(/1\.\.24/);
  });
});

describe("calendar helpers", () => {
  it("validates real dates only", () => {
    expect(isoDate.safeParse("2024-02-29").success).toBe(true);
    expect(isoDate.safeParse("2023-02-29").success).toBe(false);
    expect(isoDate.safeParse("2024-13-01").success).toBe(false);
    expect(isoDate.safeParse("20240601").success).toBe(false);
  });
  it("normalises the ymd forms sources use", () => {
    expect(normalizeYmd("20240601")).toBe("2024-06-01");
    expect(normalizeYmd("2024-06-01")).toBe("2024-06-01");
    expect(normalizeYmd("2024/06/01")).toBe("2024-06-01");
    expect(normalizeYmd("2024-06-31")).toBeNull();
    expect(normalizeYmd("June 1")).toBeNull();
  });
  it("handles month ends and leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(monthEnd("2024-02-10")).toBe("2024-02-29");
    expect(eachDay("2024-12-30", "2025-01-02")).toEqual(["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]);
    expect(splitByMonth("2026-01-15", "2026-03-10")).toEqual([
      { start: "2026-01-15", end: "2026-01-31" },
      { start: "2026-02-01", end: "2026-02-28" },
      { start: "2026-03-01", end: "2026-03-10" },
    ]);
  });
  it("takes today's date in Korea, not UTC", () => {
    // 2024-06-01 16:00 UTC is already 2024-06-02 01:00 in Seoul.
    expect(todayKst(new Date("2024-06-01T16:00:00Z"))).toBe("2024-06-02");
    expect(todayKst(new Date("2024-06-01T14:59:00Z"))).toBe("2024-06-01");
  });
});

describe("strict date and time forms", () => {
  it("isoDate says which rule a string breaks", () => {
    expect(isoDate.safeParse("x2024-06-01").error?.issues[0].message).toBe("expected a date as YYYY-MM-DD");
    expect(isoDate.safeParse("2024-06-01x").error?.issues[0].message).toBe("expected a date as YYYY-MM-DD");
    expect(isoDate.safeParse("2024-02-30").error?.issues[0].message).toBe("not a real calendar date");
    expect(() => parseIsoDate("2024-02-30", "--start")).toThrow('--start "2024-02-30" is not a valid date (YYYY-MM-DD)');
    expect(parseIsoDate("2024-02-29")).toBe("2024-02-29");
  });
  it("normalizeYmd takes exactly eight digits, separators stripped, surrounding space ignored", () => {
    expect(normalizeYmd(" 2024.06.01 ")).toBe("2024-06-01");
    expect(normalizeYmd("120240601")).toBeNull();
    expect(normalizeYmd("202406011")).toBeNull();
  });
  it("splitByMonth keeps a range that ends on a month's last day whole", () => {
    expect(splitByMonth("2026-01-15", "2026-01-31")).toEqual([{ start: "2026-01-15", end: "2026-01-31" }]);
    expect(splitByMonth("2026-01-31", "2026-02-01")).toEqual([
      { start: "2026-01-31", end: "2026-01-31" },
      { start: "2026-02-01", end: "2026-02-01" },
    ]);
  });
  it("parseKstWallClock reads whole `YYYY-MM-DD HH:MM` only, as KST", () => {
    expect(parseKstWallClock(" 2024-06-01 13:00 ")?.toISOString()).toBe("2024-06-01T04:00:00.000Z");
    expect(parseKstWallClock("2024-06-01T13:00")?.toISOString()).toBe("2024-06-01T04:00:00.000Z");
    expect(parseKstWallClock("x2024-06-01 13:00")).toBeNull();
    expect(parseKstWallClock("2024-06-01 13:00x")).toBeNull();
    expect(parseKstWallClock("2024-02-30 13:00")).toBeNull();
  });
});

describe("the pipeline clock", () => {
  const suite = process.env.PVPIPE_NOW!;
  it("yesterdayKst is the KST day before today, at the turn of a year and on a leap day", () => {
    expect(yesterdayKst(new Date("2027-01-01T00:10:00+09:00"))).toBe("2026-12-31");
    expect(yesterdayKst(new Date("2028-03-01T08:59:00+09:00"))).toBe("2028-02-29");
  });
  it("today and yesterday follow a pinned clock; the clock advances from the pinned instant", () => {
    try {
      setClock("2026-12-31T23:59:59+09:00");
      expect([todayKst(), yesterdayKst()]).toEqual(["2026-12-31", "2026-12-30"]);
      const t = now().getTime();
      expect(t).toBeGreaterThanOrEqual(Date.parse("2026-12-31T23:59:59+09:00"));
      expect(t).toBeLessThan(Date.parse("2027-01-01T00:59:59+09:00"));
      setClock(new Date("2028-02-29T00:00:00+09:00"));
      expect([todayKst(), yesterdayKst()]).toEqual(["2028-02-29", "2028-02-28"]);
    } finally {
      setClock(suite);
    }
  });
  it("an anchored setting (`instant@real instant`) puts every process on one timeline", () => {
    try {
      // Read an hour after its anchor, the clock is an hour past the pinned instant, whenever the process started.
      const anchor = new Date(Date.now() - 3_600_000).toISOString();
      setClock(`2027-03-10T00:10:00+09:00@${anchor}`);
      const t = now().getTime();
      expect(t).toBeGreaterThanOrEqual(Date.parse("2027-03-10T01:10:00+09:00"));
      expect(t).toBeLessThan(Date.parse("2027-03-10T01:20:00+09:00"));
      expect(clockSetting()).toMatch(/^2027-03-09T16:1\d:\d\d\.\d{3}Z@\d{4}-\d\d-\d\dT/);
      expect(() => setClock("2027-03-10T00:10:00+09:00@soon")).toThrow(/clock "soon" is not an ISO 8601 instant/);
    } finally {
      setClock(suite);
    }
  });
  it("an instant without a zone, or not a date at all, is refused with the setting named", () => {
    expect(() => parseInstant("2026-12-06T09:30:00")).toThrow(/PVPIPE_NOW "2026-12-06T09:30:00" is not an ISO 8601 instant with a zone/);
    expect(() => parseInstant("yesterday+09:00")).toThrow(/PVPIPE_NOW/);
    expect(parseInstant("2026-12-06T09:30:00+09:00").toISOString()).toBe("2026-12-06T00:30:00.000Z");
    expect(parseInstant("2026-12-06T00:30:00Z", "clock").toISOString()).toBe("2026-12-06T00:30:00.000Z");
  });
});

