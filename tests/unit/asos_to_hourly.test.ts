import { describe, expect, it } from "vitest";
import { asosItemToHourly } from "../../f/lib/sources/asos/to_hourly.ts";
import { ASOS_COLUMNS, ASOS_FILLED_COLUMNS } from "../../f/lib/sources/asos/item.ts";
import { parseNumber } from "../../f/lib/sources/numeric.ts";
import { parseKwh } from "../../f/lib/sources/kospo/item.ts";

const item = {
  tm: "2025-07-01 14:00", rnum: "15", stnId: "108", stnNm: "서울", ta: "28.0", taQcflg: "", rn: "", ws: "2.1", wd: "250",
  hm: "55", pv: "20.9", td: "18.2", pa: "1001.1", ps: "1,010.3", ss: "0.9", icsr: "2.83", dsnw: "", hr3Fhsc: "",
  dc10Tca: "6", dc10LmcsCa: "4", clfmAbbrCd: "Sc", lcsCh: "10", vs: "2000", ts: "-", m005Te: "30.1",
};

describe("parseNumber (shared by every source)", () => {
  it.each([
    ["12.5", 12.5], ["-3.2", -3.2], ["0", 0], ["0.0", 0], ["1,234.5", 1234.5], [" 7 ", 7], ["1e3", 1000],
    ["", null], ["-", null], ["NaN", null], ["null", null], ["abc", null], [undefined, null], [null, null], [3, 3], [Number.NaN, null],
  ])("%j → %j", (raw, want) => {
    expect(parseNumber(raw as string)).toBe(want);
  });

  it("is what KOSPO's parseKwh uses", () => {
    expect(parseKwh("1,234.5")).toBe(1234.5);
    expect(parseKwh("")).toBeNull();
  });
});

describe("asosItemToHourly", () => {
  it("keeps tm as the observation instant (KST) and the source's units", () => {
    const r = asosItemToHourly(item, 108, "fallback");
    expect(r.datetime.toISOString()).toBe("2025-07-01T05:00:00.000Z");
    expect(r.stnId).toBe(108);
    expect(r.stationName).toBe("서울");
    expect(r.values).toMatchObject({ ta: 28, ws: 2.1, wd: 250, hm: 55, pv: 20.9, td: 18.2, pa: 1001.1, ps: 1010.3, ss: 0.9, icsr: 2.83, dc10_tca: 6, dc10_lmcs_ca: 4, lcs_ch: 10, vs: 2000 });
  });

  it('turns "" and "-" into NULL, never 0', () => {
    const r = asosItemToHourly(item, 108, null);
    expect(r.values.rn).toBeNull();
    expect(r.values.dsnw).toBeNull();
    expect(r.values.hr3_fhsc).toBeNull();
    expect(r.values.ts).toBeNull();
    const night = asosItemToHourly({ tm: "2025-07-01 02:00", ta: "21.0", icsr: "", ss: "" }, 108, "서울");
    expect(night.values.icsr).toBeNull();
    expect(night.values.ss).toBeNull();
    expect(night.values.ta).toBe(21);
    expect(night.stationName).toBe("서울"); // falls back to the reference name
    expect(Object.keys(night.values).sort()).toEqual([...ASOS_COLUMNS].sort());
  });

  it("the station name is trimmed; a blank or absent one takes the reference name; numbers as numbers", () => {
    expect(asosItemToHourly({ ...item, stnNm: "  서울  " }, 108, "ref").stationName).toBe("서울");
    expect(asosItemToHourly({ ...item, stnNm: "   " }, 108, "ref").stationName).toBe("ref");
    const { stnNm: _drop, ...noName } = item;
    expect(asosItemToHourly(noName, 108, "ref").stationName).toBe("ref");
    const typed = asosItemToHourly({ tm: "2025-07-01 14:00", ta: 28.5, hm: { v: 1 } } as never, 108, null);
    expect(typed.values.ta).toBe(28.5);
    expect(typed.values.hm).toBeNull(); // not a string or a number: not a value
  });

  it("identity is the requested station, and every filled field is a served column", () => {
    expect(asosItemToHourly({ ...item, stnId: "999" }, 108, null).stnId).toBe(108);
    for (const c of ASOS_FILLED_COLUMNS) expect(ASOS_COLUMNS).toContain(c);
  });
});
