import { describe, expect, it } from "vitest";
import { koenMonthWindow, monthKeys } from "../../f/lib/sources/koen/months.ts";

describe("KOEN months", () => {
  it("a chunk of month keys expands to every calendar month, across years", () => {
    expect(monthKeys("2025-11-01", "2026-02-01")).toEqual(["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]);
    expect(monthKeys("2024-02-01", "2024-02-01")).toEqual(["2024-02-01"]);
  });

  it("a past, settled month is requested 1st..last day (leap February included) and is complete", () => {
    expect(koenMonthWindow("2024-02-01", "2024-06-20")).toEqual({ month: "2024-02-01", start: "2024-02-01", end: "2024-02-29", partial: false, partialReason: null });
    expect(koenMonthWindow("2025-02-01", "2025-06-20")?.end).toBe("2025-02-28");
    expect(koenMonthWindow("2024-12-01", "2025-01-10")).toMatchObject({ start: "2024-12-01", end: "2024-12-31", partial: false });
  });

  it("the current month is requested up to yesterday (KST) and marked partial", () => {
    expect(koenMonthWindow("2025-06-01", "2025-06-20")).toMatchObject({ start: "2025-06-01", end: "2025-06-19", partial: true });
    expect(koenMonthWindow("2025-06-01", "2025-06-20")!.partialReason).toMatch(/month not over: fetched up to 2025-06-19/);
    // On the 2nd only the 1st can be asked for.
    expect(koenMonthWindow("2025-06-01", "2025-06-02")).toMatchObject({ start: "2025-06-01", end: "2025-06-01", partial: true });
  });

  it("a finished month fetched before the 10th of the next month is partial (not yet settled at the source)", () => {
    const w = koenMonthWindow("2025-05-01", "2025-06-03")!;
    expect(w).toMatchObject({ start: "2025-05-01", end: "2025-05-31", partial: true });
    expect(w.partialReason).toMatch(/before 2025-06-10/);
    expect(koenMonthWindow("2025-05-01", "2025-06-10")!.partial).toBe(false);
  });

  it("a month without a past day has nothing to request", () => {
    expect(koenMonthWindow("2025-06-01", "2025-06-01")).toBeNull();
    expect(koenMonthWindow("2025-07-01", "2025-06-15")).toBeNull();
  });
});
