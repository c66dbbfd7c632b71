import { describe, expect, it } from "vitest";
import { KOEN_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { formatKst } from "../../f/lib/time/kst.ts";
import {
  correctNambuDbTime,
  correctNambuProcessedTime,
  koenFileWindow,
  namdongLegacyTime,
  nambuFileUnit,
  naiveKst,
  parseNaiveKst,
  resolveNamdongName,
} from "../../src/legacy/transforms.ts";

const at = (c: { datetime: Date; shifted: boolean } | null) => (c ? `${formatKst(c.datetime)}${c.shifted ? " shifted" : ""}` : null);

describe("parseNaiveKst", () => {
  it("reads PostgreSQL and pandas wall-clock text as KST", () => {
    expect(parseNaiveKst("2025-06-01 13:00:00")?.toISOString()).toBe("2025-06-01T04:00:00.000Z");
    expect(parseNaiveKst("2025-06-01T13:00")?.toISOString()).toBe("2025-06-01T04:00:00.000Z");
    expect(parseNaiveKst("2025-06-01 13:00:00.000")?.toISOString()).toBe("2025-06-01T04:00:00.000Z");
    expect(parseNaiveKst("2025-06-01")?.toISOString()).toBe("2025-05-31T15:00:00.000Z");
    expect(parseNaiveKst("2025-02-30 01:00")).toBeNull();
    expect(parseNaiveKst("yesterday")).toBeNull();
    expect(naiveKst(new Date("2025-06-01T04:00:00Z"))).toBe("2025-06-01 13:00:00");
  });
});

describe("Nambu legacy hour convention (DOMAIN §1.12)", () => {
  it("moves rows before 2026-01-01 00:00 back one hour and leaves later rows", () => {
    // label 1 of 2025-06-01 was stored at 01:00 → 00:00; label 24 at next-day 00:00 → 23:00
    expect(at(correctNambuDbTime("2025-06-01 01:00:00"))).toBe("2025-06-01 00:00 shifted");
    expect(at(correctNambuDbTime("2025-06-02 00:00:00"))).toBe("2025-06-01 23:00 shifted");
    // the last legacy row (12-30 24시) lands on 12-30 23:00: 2025-12-31 stays a hole
    expect(at(correctNambuDbTime("2025-12-31 00:00:00"))).toBe("2025-12-30 23:00 shifted");
    expect(at(correctNambuDbTime("2025-12-31 23:00:00"))).toBe("2025-12-31 22:00 shifted");
    // the daily collector's rows from 2026-01-01 are interval start already
    expect(at(correctNambuDbTime("2026-01-01 00:00:00"))).toBe("2026-01-01 00:00");
    expect(at(correctNambuDbTime("2026-03-05 13:00:00"))).toBe("2026-03-05 13:00");
  });

  it("moves every processed-CSV row back one hour (they all came from the legacy merge)", () => {
    expect(at(correctNambuProcessedTime("2024-06-01 01:00:00"))).toBe("2024-06-01 00:00 shifted");
    expect(at(correctNambuProcessedTime("2024-06-02 00:00:00"))).toBe("2024-06-01 23:00 shifted");
    expect(correctNambuProcessedTime("")).toBeNull();
  });
});

describe("Namdong mixed formats (DOMAIN §2.8, §9 pitfalls 7, 8)", () => {
  it("date_trunc('day', datetime) + (hour − 1) h for midnight and hour-start rows alike", () => {
    // historical rows: midnight with the hour only in `hour`
    expect(at(namdongLegacyTime("2022-03-01 00:00:00", 1))).toBe("2022-03-01 00:00");
    expect(at(namdongLegacyTime("2022-03-01 00:00:00", 13))).toBe("2022-03-01 12:00 shifted");
    expect(at(namdongLegacyTime("2022-03-01 00:00:00", 24))).toBe("2022-03-01 23:00 shifted");
    // live rows: datetime = date + (hour − 1) already (not date + 2·hour − 1 as datetime + hour would give)
    expect(at(namdongLegacyTime("2025-12-01 04:00:00", 5))).toBe("2025-12-01 04:00");
    expect(at(namdongLegacyTime("2025-12-01 23:00:00", 24))).toBe("2025-12-01 23:00");
    expect(namdongLegacyTime("2025-12-01 00:00:00", 0)).toBeNull();
    expect(namdongLegacyTime("2025-12-01 00:00:00", 25)).toBeNull();
  });

  it("places legacy names on (발전구분, 호기) and refuses a bare name of a plant with several units", () => {
    const units = KOEN_UNITS.map((u) => ({ plant_name: u.plant_name, hogi: u.hogi, display_name: u.display_name }));
    expect(resolveNamdongName("영흥태양광_1", units)).toEqual({ plantName: "영흥태양광", hogi: 1 });
    expect(resolveNamdongName("영흥태양광 #3_2", units)).toEqual({ plantName: "영흥태양광 #3", hogi: 2 });
    expect(resolveNamdongName("영흥태양광#5", units)).toEqual({ plantName: "영흥태양광#5", hogi: 1 });
    expect(resolveNamdongName("여수태양광", units)).toEqual({ plantName: "여수태양광", hogi: 1 });
    expect(resolveNamdongName("영흥태양광", units)).toEqual({ problem: expect.stringMatching(/영흥태양광 has units 1, 2 .*호기/) });
    // not known yet: a suffix is the unit, otherwise unit 1
    expect(resolveNamdongName("새만금태양광_2", units)).toEqual({ plantName: "새만금태양광", hogi: 2 });
    expect(resolveNamdongName("새만금태양광", units)).toEqual({ plantName: "새만금태양광", hogi: 1 });
  });
});

describe("archive file names", () => {
  it("reads the unit and the download window from the names the old scripts used", () => {
    expect(nambuFileUnit("nambu_bulk_997S_1.csv")).toEqual({ gencd: "997S", hogi: 1 });
    expect(nambuFileUnit("nambu_processed_B997_2.csv")).toEqual({ gencd: "B997", hogi: 2 });
    expect(nambuFileUnit("nambu_bulk.csv")).toBeNull();
    expect(koenFileWindow("south_pv_전체_20260301-20260331.csv")).toEqual({ start: "2026-03-01", end: "2026-03-31" });
    expect(koenFileWindow("south_pv_all.csv")).toBeNull();
  });
});
