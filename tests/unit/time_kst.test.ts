import { describe, expect, it } from "vitest";
import { addDays, eachDay, formatKst, isoDate, labelToIntervalStart, monthEnd, normalizeYmd, splitByMonth, todayKst } from "../../f/lib/time/kst.ts";

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
