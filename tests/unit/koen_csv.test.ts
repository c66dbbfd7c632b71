import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { KOEN_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { BadPayload, SourceReturnedHtml } from "../../f/lib/sources/errors.ts";
import { decodeKoenBody, parseKoenCsv, plantNameProblem, readKoenCsv, type KoenCsv } from "../../f/lib/sources/koen/csv.ts";
import { koenRowToHourly } from "../../f/lib/sources/koen/to_hourly.ts";
import { addDays, addMonths, formatKst } from "../../f/lib/time/kst.ts";
import { koenSimCsv, koenSimSummary, koenSimValue, truncateMidRow, type KoenSimHeader, type KoenSimOptions } from "../../src/simulators/koen.ts";

const KNOWN = new Set(KOEN_UNITS.map((u) => u.plant_name));
const WINDOW = { start: "2025-06-01", end: "2025-06-30" };
const read = (body: Buffer, over: Partial<Parameters<typeof readKoenCsv>[1]> = {}): KoenCsv =>
  readKoenCsv(body, { contentType: "text/csv;charset=MS949", status: 200, request: "csvDown.do test", window: WINDOW, known: KNOWN, ...over });
const simBody = (opts: KoenSimOptions = {}, q = { start: "2025-06-01", end: "2025-06-30" }) =>
  koenSimCsv({ ...q, orgNo: "", hokiS: "", hokiE: "" }, { today: "2025-07-20", ...opts });

const hours = (f: (h: number) => string) => Array.from({ length: 24 }, (_, i) => f(i + 1));
const HEADER = ["발전구분", "호기", "일자", ...hours((h) => `${h}시 발전량(KWh)`), "총량(KW)", "평균(KW)", "최대(시간별)", "최소(시간별)"];
/** A CP949 CSV with a space after every comma, as the site sends it, padded past the size threshold. */
function cp949Csv(rows: string[][], header = HEADER): Buffer {
  const lines = [header, ...rows].map((r) => r.join(", ")).join("\r\n") + "\r\n";
  return iconv.encode(lines, "cp949");
}
const dayRow = (name: string, hogi: string, date: string, values: string[] = hours((h) => (h >= 7 && h <= 18 ? String(h * 10) : "0"))) => [
  name, hogi, date, ...values, '"1,234.5"', "51", "180", "70",
];
const padded = (rows: string[][]) => {
  const filler = Array.from({ length: 12 }, (_, i) => dayRow("여수태양광", "1", `2025-06-${String(i + 10).padStart(2, "0")}`));
  return [...rows, ...filler];
};

describe("KOEN CSV: CP949", () => {
  it("round-trips the real plant names byte for byte, spacing kept, from CP949 bytes with spaces after commas", () => {
    const names = ["영흥태양광 #3", "삼천포태양광#5", "고흥만 수상태양광"];
    const body = cp949Csv(padded([dayRow(names[0], "3", "2025-06-01"), dayRow(names[1], "2", "2025-06-01"), dayRow(names[2], "", "2025-06-02")]));
    // Really CP949: not valid UTF-8, and the UTF-8 reading is garbage.
    expect(body.toString("utf8")).toContain("\uFFFD");
    expect(body.includes(Buffer.from(", "))).toBe(true);
    const csv = read(body);
    expect(csv.encoding).toBe("cp949");
    const got = csv.rows.slice(0, 3).map((r) => [r.plantName, r.hogi, r.date]);
    expect(got).toEqual([[names[0], 3, "2025-06-01"], [names[1], 2, "2025-06-01"], [names[2], 1, "2025-06-02"]]);
    expect(Buffer.from(csv.rows[0].plantName, "utf8").equals(Buffer.from("영흥태양광 #3", "utf8"))).toBe(true);
    expect(iconv.encode(csv.rows[2].plantName, "cp949").equals(iconv.encode("고흥만 수상태양광", "cp949"))).toBe(true);
  });

  it("decodes every KOEN unit of the simulator's download to the names of data/plants.csv", () => {
    const csv = read(simBody());
    const units = new Set(csv.rows.map((r) => `${r.plantName}/${r.hogi}`));
    expect([...units].sort()).toEqual(KOEN_UNITS.map((u) => `${u.plant_name}/${u.hogi}`).sort());
    expect(csv.rows).toHaveLength(23 * 30);
  });

  it("a UTF-8 byte-order mark means UTF-8", () => {
    const csv = read(simBody({ encoding: "utf-8-bom" }));
    expect(csv.encoding).toBe("utf-8");
    expect(csv.rows.some((r) => r.plantName === "영흥태양광 #3")).toBe(true);
  });
});

describe("KOEN CSV: header variants and values", () => {
  it.each(["standard", "mwh", "compact", "quoted", "alias"] as KoenSimHeader[])("header %s: 24 hour columns by label, summaries in kWh whatever the unit label", (header) => {
    const csv = read(simBody({ header }));
    expect(csv.rows).toHaveLength(23 * 30);
    const r = csv.rows.find((x) => x.plantName === "삼천포태양광" && x.hogi === 3 && x.date === "2025-06-15")!;
    const values = koenSimValue("삼천포태양광", 3, "2025-06-15");
    expect(r.hours).toEqual(values);
    // (MWh)/(KW) labels are never converted (DOMAIN §9.15).
    expect(r.dailyTotal).toBe(koenSimSummary(values).total);
    expect(r.dailyMax).toBe(koenSimSummary(values).max);
  });

  it("reads quoted thousands separators after a space, and keeps '' and '-' as null, never 0", () => {
    const blank = (_p: string, _h: number, d: string, label: number) => (d === "2025-06-03" && label === 12 ? "" : d === "2025-06-03" && label === 13 ? "-" : undefined);
    const csv = read(simBody({ thousandsSeparators: true, blankFor: blank }));
    const big = csv.rows.find((r) => (r.dailyTotal ?? 0) >= 1000)!;
    expect(big).toBeDefined();
    const values = koenSimValue(big.plantName, big.hogi, big.date);
    expect(big.dailyTotal).toBe(koenSimSummary(values).total);
    const d3 = csv.rows.find((r) => r.date === "2025-06-03")!;
    expect(d3.hours[11]).toBeNull();
    expect(d3.hours[12]).toBeNull();
    expect(d3.hours[10]).not.toBeNull();
  });

  it("skips totals lines and days outside the requested window, and keeps the last of duplicate records", () => {
    const rows = padded([dayRow("여수태양광", "1", "2025-05-31"), dayRow("여수태양광", "1", "2025-06-01"), dayRow("여수태양광", "1", "2025-06-01", hours(() => "7"))]);
    rows.push(["합계", "", "", ...hours(() => "0"), "0", "0", "0", "0"]);
    const csv = read(cp949Csv(rows));
    expect(csv.rows.filter((r) => r.date === "2025-05-31")).toHaveLength(0);
    expect(csv.rows.filter((r) => r.date === "2025-06-01").map((r) => r.hours[0])).toEqual([7]);
    expect(csv.skipped.map((s) => s.reason).join("\n")).toMatch(/2025-05-31 is outside[\s\S]*totals/);
  });

  it("rejects a record that is cut short or has a bad date or unit", () => {
    const short = cp949Csv(padded([["여수태양광", "1", "2025-06-01", "0", "0"]]));
    expect(() => read(short)).toThrow(/line 2: 5 fields, expected at least/);
    expect(() => read(cp949Csv(padded([dayRow("여수태양광", "1", "2025-13-01")])))).toThrow(/일자 "2025-13-01" is not a date/);
    expect(() => read(cp949Csv(padded([dayRow("여수태양광", "A", "2025-06-01")])))).toThrow(/호기 "A" is not a unit number/);
  });
});

describe("KOEN CSV: rejected bodies", () => {
  const htmlBody = (s: string) => Buffer.concat([iconv.encode(s, "cp949"), Buffer.alloc(3000, 0x20)]);

  it("an HTML page is SourceReturnedHtml whatever the status or Content-Type", () => {
    expect(() => read(htmlBody("<!DOCTYPE html><html><head><title>서비스 점검 중</title></head></html>"))).toThrow(SourceReturnedHtml);
    expect(() => read(htmlBody("\r\n\r\n  <html><body>오류</body></html>"))).toThrow(SourceReturnedHtml);
    expect(() => read(htmlBody("<script>alert('세션이 만료되었습니다');</script>"))).toThrow(SourceReturnedHtml);
    expect(() => read(simBody(), { contentType: "text/html;charset=euc-kr" })).toThrow(SourceReturnedHtml);
    try {
      read(htmlBody("<!DOCTYPE html><html></html>"), { status: 200, request: "csvDown.do strDateS=20250601 strDateE=20250630" });
    } catch (e) {
      expect((e as Error).message).toMatch(/HTML page instead of data \(HTTP 200\) for csvDown\.do strDateS=20250601/);
    }
  });

  it("a tiny body is BadPayload naming its size and what it said", () => {
    const tiny = iconv.encode("오류가 발생하였습니다. 관리자에게 문의하세요.", "cp949");
    expect(() => read(tiny)).toThrow(BadPayload);
    expect(() => read(tiny)).toThrow(new RegExp(`only ${tiny.length} bytes.*오류가 발생하였습니다`));
    // A header alone is a tiny body too: a whole month is never that small.
    expect(() => read(cp949Csv([]))).toThrow(/only \d+ bytes/);
  });

  it("a body without the expected header is BadPayload", () => {
    const other = iconv.encode(`${"날짜, 값\r\n2025-06-01, 1\r\n".repeat(200)}`, "cp949");
    expect(() => read(other)).toThrow(/no CSV header with 발전구분, 호기, 일자 and 1시\.\.24시 발전량/);
    const missingHour = cp949Csv(padded([]), HEADER.filter((h) => h !== "17시 발전량(KWh)"));
    expect(() => read(missingHour)).toThrow(/no CSV header/);
  });
});

describe("KOEN CSV: truncated downloads", () => {
  it("the simulator's truncated download is cut mid-row in every month, and is BadPayload", () => {
    const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);
    for (const m of months) {
      const q = { start: `${m}-01`, end: addDays(addMonths(`${m}-01`, 1), -1) };
      const body = truncateMidRow(koenSimCsv({ ...q, orgNo: "", hokiS: "", hokiE: "" }, { today: "2026-01-20" }));
      expect(() => read(body, { window: q }), m).toThrow(/fields, expected at least \d+ \(truncated download\?\)/);
    }
  });
});

describe("KOEN CSV: mojibake", () => {
  it("a plant name with bytes that are not CP949 (U+FFFD) fails instead of creating a plant", () => {
    const body = simBody({ extraRows: () => [{ nameBytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0x80]), iconv.encode("태양광", "cp949")]), hogi: "1", date: "2025-06-05" }] });
    expect(decodeKoenBody(body).text).toContain("\uFFFD");
    expect(() => read(body)).toThrow(BadPayload);
    expect(() => read(body)).toThrow(/line \d+: plant name .* contains U\+FFFD/);
  });

  it("UTF-8 bytes read as CP949 (a wrong-encoding download) never pass as plant names", () => {
    const body = simBody({ extraRows: () => [{ nameBytes: Buffer.from("여수태양광", "utf8"), hogi: "1", date: "2025-06-05" }] });
    const garbled = decodeKoenBody(body).text.split("\r\n").at(-2)!.split(",")[0];
    expect(garbled).not.toBe("여수태양광");
    expect(() => read(body)).toThrow(/plant name .*(U\+FFFD|likely mojibake)/);
    // A whole UTF-8 file without BOM: even the header does not decode.
    expect(() => read(simBody({ encoding: "utf-8" }))).toThrow(BadPayload);
  });

  it("Latin-1 debris is mojibake; a new, well-formed PV plant name is accepted; a known name always is", () => {
    expect(plantNameProblem(iconv.decode(iconv.encode("여수태양광", "cp949"), "latin1"), KNOWN)).toMatch(/mojibake/);
    expect(plantNameProblem("여수發電所", KNOWN)).toMatch(/mojibake/);
    expect(plantNameProblem("신규태양광", KNOWN)).toBeNull();
    expect(plantNameProblem("남동 신규태양광 #2", KNOWN)).toBeNull();
    expect(plantNameProblem("두산엔진MG태양광", new Set())).toBeNull();
    expect(plantNameProblem("특수발전소", KNOWN)).toMatch(/neither a known KOEN plant/);
    expect(plantNameProblem("특수발전소", new Set(["특수발전소"]))).toBeNull();
    expect(plantNameProblem("여수태양광\uFFFD", new Set(["여수태양광\uFFFD"]))).toMatch(/U\+FFFD/);
  });
});

describe("KOEN CSV → hourly rows", () => {
  it("label N of day D is D + (N−1) h KST: label 1 → 00:00, label 24 → 23:00 of the same day", () => {
    const csv = parseKoenCsv(iconv.decode(cp949Csv([dayRow("여수태양광", "1", "2026-05-15", hours((h) => String(h)))]), "cp949"), { request: "t" });
    const rows = koenRowToHourly(csv.rows[0]);
    expect(rows).toHaveLength(24);
    expect(formatKst(rows[0].datetime)).toBe("2026-05-15 00:00");
    expect(rows[0].hour).toBe(1);
    expect(formatKst(rows[23].datetime)).toBe("2026-05-15 23:00");
    expect(rows[23].hour).toBe(24);
    expect(rows[23].generation).toBe(24);
    expect(rows.map((r) => r.generation)).toEqual(hours((h) => String(h)).map(Number));
    expect(rows[5].dailyTotal).toBe(1234.5);
  });
});
