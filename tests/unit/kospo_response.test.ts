import { describe, expect, it } from "vitest";
import { parseKospoResponse } from "../../f/lib/sources/kospo/response.ts";
import { kospoItem, kospoItemDate, parseKwh } from "../../f/lib/sources/kospo/item.ts";
import { detectGatewayError, looksLikeHtml, parseGatewayFault } from "../../f/lib/sources/datagokr/gateway_error.ts";
import {
  BadPayload,
  InvalidRequest,
  QuotaExceeded,
  ServiceKeyRejected,
  SourceReturnedHtml,
  SourceUnavailable,
} from "../../f/lib/sources/errors.ts";

const ctx = { source: "KOSPO PwrSunLightInfo", request: "getDataService?serviceKey=***&strOrgCd=997S", keyVariable: "NAMBU_API_KEY" };

// 997S unit 1, 2024-06-01 as in the broken-plants audit (DOMAIN §11).
const AUDIT_DAY = "0 0 0 0 0 1 38 85 137 184 224 247 251 250 240 947 1266 1000 688 1067 1055 869 0 0".split(" ");

function fields(ymd: string, opts: { extra?: string; name?: string | null; hours?: string[] } = {}): string {
  const hours = (opts.hours ?? AUDIT_DAY).map((v, i) => `<qhorgen${String(i + 1).padStart(2, "0")}>${v}</qhorgen${String(i + 1).padStart(2, "0")}>`);
  const name = opts.name === null ? "" : `<ipptnm>${opts.name ?? "한국남부발전(주)_신인천전망대 태양광발전실적"}</ipptnm>`;
  return `<ymd>${ymd}</ymd><gencd>997S</gencd><hogi>1</hogi>${name}${hours.join("")}<qvodgen>8547.6</qvodgen><qvodavg>356.15</qvodavg><qvodmax>1266</qvodmax><qvodmin>0</qvodmin>${opts.extra ?? ""}`;
}

function envelope(items: string, counts = { numOfRows: 100, pageNo: 1, totalCount: 1 }, resultCode = "00", resultMsg = "NORMAL SERVICE."): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<response>
  <header><resultCode>${resultCode}</resultCode><resultMsg>${resultMsg}</resultMsg></header>
  <body>
    ${items}
    <numOfRows>${counts.numOfRows}</numOfRows><pageNo>${counts.pageNo}</pageNo><totalCount>${counts.totalCount}</totalCount>
  </body>
</response>`;
}

const gateway = (code: number, msg: string) => `<OpenAPI_ServiceResponse>
  <cmmMsgHeader>
    <errMsg>SERVICE ERROR</errMsg>
    <returnAuthMsg>${msg}</returnAuthMsg>
    <returnReasonCode>${code}</returnReasonCode>
  </cmmMsgHeader>
</OpenAPI_ServiceResponse>`;

function thrown(body: string): unknown {
  try {
    parseKospoResponse(body, ctx);
  } catch (e) {
    return e;
  }
  throw new Error("expected parseKospoResponse to throw");
}

describe("parseKospoResponse: data", () => {
  it("reads shape 1 (<items><item>…) with several items, values kept as strings", () => {
    const body = envelope(`<items><item>${fields("20240601")}</item><item>${fields("2024-06-02", { hours: AUDIT_DAY.map(() => "1.50") })}</item></items>`, {
      numOfRows: 100,
      pageNo: 1,
      totalCount: 2,
    });
    const page = parseKospoResponse(body, ctx);
    expect(page.totalCount).toBe(2);
    expect(page.pageNo).toBe(1);
    expect(page.numOfRows).toBe(100);
    expect(page.items).toHaveLength(2);
    expect(page.items[0].qhorgen16).toBe("947");
    expect(page.items[0].qvodgen).toBe("8547.6");
    expect(page.items[1].qhorgen01).toBe("1.50"); // not parsed into 1.5
    expect(page.items.map(kospoItemDate)).toEqual(["2024-06-01", "2024-06-02"]);
    expect(page.items[0].ymd).toBe("20240601"); // raw item stays as received
  });

  it("reads a single <item> (not an array)", () => {
    const page = parseKospoResponse(envelope(`<items><item>${fields("20240601")}</item></items>`), ctx);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].gencd).toBe("997S");
  });

  it("reads shape 2 (fields directly under <items>)", () => {
    const page = parseKospoResponse(envelope(`<items>${fields("20240601")}</items>`), ctx);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].ymd).toBe("20240601");
    expect(page.items[0].qhorgen17).toBe("1266");
  });

  it("keeps every other child tag and tolerates an empty or missing ipptnm", () => {
    const withExtra = parseKospoResponse(envelope(`<items><item>${fields("20240601", { extra: "<newField>x</newField>", name: "" })}</item></items>`), ctx);
    expect(withExtra.items[0].newField).toBe("x");
    expect(withExtra.items[0].ipptnm).toBe("");
    const noName = parseKospoResponse(envelope(`<items><item>${fields("20240601", { name: null })}</item></items>`), ctx);
    expect(noName.items[0].ipptnm).toBeUndefined();
  });

  it("keeps empty hour cells as empty strings", () => {
    const hours = [...AUDIT_DAY];
    hours[4] = "";
    hours[5] = "-";
    const page = parseKospoResponse(envelope(`<items><item>${fields("20240601", { hours })}</item></items>`), ctx);
    expect(page.items[0].qhorgen05).toBe("");
    expect(page.items[0].qhorgen06).toBe("-");
  });
});

describe("parseKospoResponse: empty", () => {
  it("treats resultCode 03 NODATA_ERROR as empty", () => {
    const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><response><header><resultCode>03</resultCode><resultMsg>NODATA_ERROR</resultMsg></header></response>`;
    expect(parseKospoResponse(body, ctx)).toMatchObject({ items: [], totalCount: 0 });
  });
  it("treats 00 with <items/> and totalCount 0 as empty", () => {
    expect(parseKospoResponse(envelope("<items/>", { numOfRows: 100, pageNo: 1, totalCount: 0 }), ctx)).toMatchObject({ items: [], totalCount: 0 });
    expect(parseKospoResponse(envelope("<items></items>", { numOfRows: 100, pageNo: 1, totalCount: 0 }), ctx).items).toEqual([]);
  });
});

describe("parseKospoResponse: errors", () => {
  it("maps gateway reason 22 to QuotaExceeded", () => {
    expect(thrown(gateway(22, "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"))).toBeInstanceOf(QuotaExceeded);
  });
  it.each([
    [30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"],
    [31, "DEADLINE_HAS_EXPIRED_ERROR"],
    [32, "UNREGISTERED_IP_ERROR"],
    [20, "SERVICE_ACCESS_DENIED_ERROR"],
  ])("maps gateway reason %i to ServiceKeyRejected naming the key variable", (code, msg) => {
    const e = thrown(gateway(code, msg));
    expect(e).toBeInstanceOf(ServiceKeyRejected);
    expect((e as Error).message).toContain("NAMBU_API_KEY");
    expect((e as Error).message).toContain(`${msg}, reason ${code}`);
  });
  it.each([
    [10, "INVALID_REQUEST_PARAMETER_ERROR"],
    [12, "NO_OPENAPI_SERVICE_ERROR"],
    [1, "APPLICATION_ERROR"],
    [99, "UNKNOWN_ERROR"],
  ])("maps gateway reason %i to InvalidRequest", (code, msg) => {
    const e = thrown(gateway(code, msg));
    expect(e).toBeInstanceOf(InvalidRequest);
    expect((e as InvalidRequest).reasonCode).toBe(String(code));
  });
  it("maps error result codes in the normal envelope too", () => {
    expect(thrown(envelope("", undefined, "22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"))).toBeInstanceOf(QuotaExceeded);
    expect(thrown(envelope("", undefined, "30", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"))).toBeInstanceOf(ServiceKeyRejected);
    expect(thrown(envelope("", undefined, "10", "INVALID_REQUEST_PARAMETER_ERROR"))).toBeInstanceOf(InvalidRequest);
    expect(thrown(envelope("", undefined, "05", "SERVICETIMEOUT_ERROR"))).toBeInstanceOf(SourceUnavailable);
  });
  it("recognises an HTML page with HTTP 200", () => {
    const e = thrown("<!DOCTYPE html>\n<html><head><title>점검</title></head><body>서비스 점검 중</body></html>");
    expect(e).toBeInstanceOf(SourceReturnedHtml);
    expect((e as SourceReturnedHtml).retryable).toBe(false);
  });
  it("rejects truncated XML as BadPayload", () => {
    const full = envelope(`<items><item>${fields("20240601")}</item><item>${fields("20240602")}</item></items>`);
    for (const cut of [0.3, 0.6, 0.95]) expect(thrown(full.slice(0, Math.floor(full.length * cut)))).toBeInstanceOf(BadPayload);
  });
  it("rejects an empty body, non-XML text and a foreign document as BadPayload", () => {
    expect(thrown("")).toBeInstanceOf(BadPayload);
    expect(thrown("Internal error")).toBeInstanceOf(BadPayload);
    expect(thrown('{"response":{"header":{"resultCode":"00"}}}')).toBeInstanceOf(BadPayload);
    expect(thrown("<other><x>1</x></other>")).toBeInstanceOf(BadPayload);
  });
  it("rejects items lacking required fields or with a bad ymd", () => {
    const noHour = fields("20240601").replace("<qhorgen13>251</qhorgen13>", "");
    expect((thrown(envelope(`<items><item>${noHour}</item></items>`)) as Error).message).toMatch(/qhorgen13/);
    expect(thrown(envelope(`<items><item>${fields("2024-06-31")}</item></items>`))).toBeInstanceOf(BadPayload);
    expect(thrown(envelope(`<items><item>${fields("June 1")}</item></items>`))).toBeInstanceOf(BadPayload);
    expect(thrown(envelope(`<items><foo>1</foo></items>`))).toBeInstanceOf(BadPayload);
  });
  it("rejects a non-numeric totalCount", () => {
    expect(thrown(envelope(`<items/>`, { numOfRows: 100, pageNo: 1, totalCount: "many" as unknown as number }))).toBeInstanceOf(BadPayload);
  });
});

describe("gateway error detection", () => {
  it("finds the gateway XML even when JSON was asked for", () => {
    const body = `${gateway(30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR")}`;
    expect(parseGatewayFault(body)).toEqual({ reasonCode: "30", authMsg: "SERVICE_KEY_IS_NOT_REGISTERED_ERROR", errMsg: "SERVICE ERROR" });
    expect(detectGatewayError(body, ctx)).toBeInstanceOf(ServiceKeyRejected);
    expect(parseGatewayFault('{"response":{"header":{"resultCode":"00"}}}')).toBeNull();
    expect(parseGatewayFault(envelope("<items/>"))).toBeNull();
  });
  it("looksLikeHtml sniffs doctype/html/head at the start only", () => {
    expect(looksLikeHtml("<!DOCTYPE html><html></html>")).toBe(true);
    expect(looksLikeHtml("\uFEFF  <html lang='ko'><body>x</body></html>")).toBe(true);
    expect(looksLikeHtml("<HEAD><TITLE>Error</TITLE></HEAD>")).toBe(true);
    expect(looksLikeHtml(envelope("<items/>"))).toBe(false);
    expect(looksLikeHtml(gateway(30, "X"))).toBe(false);
  });
});

describe("kospoItem", () => {
  it("accepts YYYYMMDD and YYYY-MM-DD", () => {
    const base = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`qhorgen${String(i + 1).padStart(2, "0")}`, "0"]));
    expect(kospoItem.safeParse({ ...base, ymd: "20240601" }).success).toBe(true);
    expect(kospoItem.safeParse({ ...base, ymd: "2024-06-01" }).success).toBe(true);
    expect(kospoItem.safeParse({ ...base, ymd: "2024-02-30" }).success).toBe(false);
    expect(kospoItem.safeParse({ ymd: "20240601" }).success).toBe(false);
  });
});

describe("parseKwh", () => {
  it.each([
    ["1,234.5", 1234.5],
    ["0", 0],
    [" 12 ", 12],
    ["0.001", 0.001],
    ["8547.6", 8547.6],
    ["-3", -3],
    ["1e3", 1000],
  ])("%j → %s", (s, n) => expect(parseKwh(s)).toBe(n));
  it.each([[""], ["-"], ["NaN"], ["abc"], ["12kWh"], ["1.2.3"], ["Infinity"], [" "], [undefined]])("%j → null, never 0", (s) =>
    expect(parseKwh(s)).toBeNull(),
  );
});
