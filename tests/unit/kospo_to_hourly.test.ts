import { describe, expect, it } from "vitest";
import { kospoItemToHourly } from "../../f/lib/sources/kospo/to_hourly.ts";
import { formatKst } from "../../f/lib/time/kst.ts";
import { expectEvery } from "../helpers/expect_every.ts";

describe("KOSPO item → hourly rows", () => {
  // The fixture of the earlier pipeline's regression test (DOMAIN §11).
  const item = { ymd: "2026-06-15", hogi: "1", gencd: "TEST01", ipptnm: "테스트태양광", qvodgen: "10", qvodavg: "1", qvodmax: "2", qvodmin: "0", qhorgen01: "11", qhorgen12: "22", qhorgen24: "33" };
  const rows = kospoItemToHourly(item, { gencd: "997S", hogi: 1, ymd: "2026-06-15" }, "fallback");

  it("puts qhorgen01 at 00:00 and qhorgen24 at 23:00 of the same day", () => {
    expect(rows).toHaveLength(24);
    const at = (label: number) => rows.find((r) => r.hourLabel === label)!;
    expect(formatKst(at(1).datetime)).toBe("2026-06-15 00:00");
    expect(at(1).generation).toBe(11);
    expect(formatKst(at(12).datetime)).toBe("2026-06-15 11:00");
    expect(at(12).generation).toBe(22);
    expect(formatKst(at(24).datetime)).toBe("2026-06-15 23:00");
    expect(at(24).generation).toBe(33);
  });
  it("keeps absent hours NULL, never 0", () => {
    expect(rows.find((r) => r.hourLabel === 2)!.generation).toBeNull();
    expect(rows.filter((r) => r.generation === null)).toHaveLength(21);
  });
  it("keys by the requested unit and falls back to the stored name when ipptnm is empty", () => {
    expectEvery(rows, (r) => r.gencd === "997S" && r.hogi === 1);
    expect(rows[0].plantName).toBe("테스트태양광");
    const noName = kospoItemToHourly({ ...item, ipptnm: "  " }, { gencd: "997S", hogi: 1, ymd: "2026-06-15" }, "한국남부발전(주)_신인천전망대 태양광발전실적");
    expect(noName[0].plantName).toBe("한국남부발전(주)_신인천전망대 태양광발전실적");
    expect(noName[0].dailyTotal).toBe(10);
    const { ipptnm: _drop, ...absent } = item;
    expect(kospoItemToHourly(absent, { gencd: "997S", hogi: 1, ymd: "2026-06-15" }, "ref")[0].plantName).toBe("ref");
    expect(kospoItemToHourly({ ...item, ipptnm: "테스트\uFFFD" }, { gencd: "997S", hogi: 1, ymd: "2026-06-15" }, "ref")[0].plantName).toBe("ref");
    expect(rows.map((r) => r.hourLabel)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });
});
