import { describe, expect, it } from "vitest";
import { parseAsosResponse } from "../../f/lib/sources/asos/response.ts";
import { BadPayload, InvalidRequest, QuotaExceeded, ServiceKeyRejected, SourceReturnedHtml, SourceUnavailable } from "../../f/lib/sources/errors.ts";

const ctx = { source: "KMA ASOS getWthrDataList", request: "getWthrDataList?serviceKey=***&stnIds=108", keyVariable: "ASOS_API_KEY" };

// The success example of DOMAIN §14, verbatim.
const DOMAIN_EXAMPLE = `{"response":{"header":{"resultCode":"00","resultMsg":"NORMAL_SERVICE"},
 "body":{"dataType":"JSON","items":{"item":[
   {"tm":"2025-07-01 14:00","rnum":"15","stnId":"108","stnNm":"서울","ta":"28.0","taQcflg":"","rn":"","rnQcflg":"",
    "ws":"2.1","wsQcflg":"","wd":"250","wdQcflg":"","hm":"55","hmQcflg":"","pv":"20.9","td":"18.2","pa":"1001.1",
    "paQcflg":"","ps":"1010.3","psQcflg":"","ss":"0.9","ssQcflg":"","icsr":"2.83","dsnw":"","hr3Fhsc":"",
    "dc10Tca":"6","dc10LmcsCa":"4","clfmAbbrCd":"Sc","lcsCh":"10","vs":"2000","gndSttCd":"","dmstMtphNo":"",
    "ts":"35.2","tsQcflg":"","m005Te":"30.1","m01Te":"29.0","m02Te":"27.5","m03Te":"26.4"}]},
 "pageNo":1,"numOfRows":999,"totalCount":24}}}`;

const gatewayXml = (code: number, msg: string) =>
  `<OpenAPI_ServiceResponse>\n  <cmmMsgHeader>\n    <errMsg>SERVICE ERROR</errMsg>\n    <returnAuthMsg>${msg}</returnAuthMsg>\n    <returnReasonCode>${code}</returnReasonCode>\n  </cmmMsgHeader>\n</OpenAPI_ServiceResponse>`;

const envelope = (items: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ response: { header: { resultCode: "00", resultMsg: "NORMAL_SERVICE" }, body: { dataType: "JSON", items, pageNo: 1, numOfRows: 10, totalCount: 1, ...extra } } });

describe("parseAsosResponse", () => {
  it("reads the DOMAIN §14 example: items kept exactly as received, counts as numbers", () => {
    const page = parseAsosResponse(DOMAIN_EXAMPLE, ctx);
    expect(page).toMatchObject({ totalCount: 24, pageNo: 1, numOfRows: 999 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ tm: "2025-07-01 14:00", stnId: "108", stnNm: "서울", rn: "", icsr: "2.83", clfmAbbrCd: "Sc", m03Te: "26.4" });
  });

  it("accepts a single item as an object, an empty items string and counts as strings", () => {
    const one = { tm: "2025-07-01 00:00", stnId: "108", ta: "20.1" };
    expect(parseAsosResponse(envelope({ item: one }), ctx).items).toEqual([one]);
    expect(parseAsosResponse(envelope(""), ctx).items).toEqual([]);
    expect(parseAsosResponse(envelope({ item: [] }), ctx).items).toEqual([]);
    expect(parseAsosResponse(envelope({ item: [one] }, { totalCount: "1", pageNo: "1", numOfRows: "10" }), ctx).totalCount).toBe(1);
  });

  it("resultCode 03 (NO_DATA, e.g. asking for today) is an empty page, not an error", () => {
    const page = parseAsosResponse(`{"response":{"header":{"resultCode":"03","resultMsg":"NO_DATA"}}}`, ctx);
    expect(page).toMatchObject({ items: [], totalCount: 0 });
    // …also when the service answers that verdict in XML.
    const xml = `<response><header><resultCode>03</resultCode><resultMsg>NO_DATA</resultMsg></header></response>`;
    expect(parseAsosResponse(xml, ctx).items).toEqual([]);
  });

  it.each([
    [22, "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR", QuotaExceeded],
    [30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR", ServiceKeyRejected],
    [31, "DEADLINE_HAS_EXPIRED_ERROR", ServiceKeyRejected],
    [32, "UNREGISTERED_IP_ERROR", ServiceKeyRejected],
    [20, "SERVICE_ACCESS_DENIED_ERROR", ServiceKeyRejected],
    [10, "INVALID_REQUEST_PARAMETER_ERROR", InvalidRequest],
    [12, "NO_OPENAPI_SERVICE_ERROR", InvalidRequest],
    [99, "UNKNOWN_ERROR", InvalidRequest],
  ])("recognises the gateway XML error %i although dataType=JSON was asked", (code, msg, cls) => {
    let err: unknown;
    try {
      parseAsosResponse(gatewayXml(code, msg), ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(cls);
    expect((err as { reasonCode: string }).reasonCode).toBe(String(code));
    expect((err as { retryable: boolean }).retryable).toBe(false);
    // Key and quota errors tell the person which variable to fix; a refused request is not about the key.
    expect((err as Error).message.includes("ASOS_API_KEY")).toBe(cls === QuotaExceeded || cls === ServiceKeyRejected);
  });

  it("maps envelope error codes: transient ones are retryable, the rest typed like the gateway's", () => {
    expect(() => parseAsosResponse(`{"response":{"header":{"resultCode":"05","resultMsg":"SERVICETIMEOUT_ERROR"}}}`, ctx)).toThrow(SourceUnavailable);
    expect(() => parseAsosResponse(`{"response":{"header":{"resultCode":"22","resultMsg":"LIMITED"}}}`, ctx)).toThrow(QuotaExceeded);
    expect(() => parseAsosResponse(`{"response":{"header":{"resultCode":"10","resultMsg":"INVALID_REQUEST_PARAMETER_ERROR"}}}`, ctx)).toThrow(InvalidRequest);
  });

  it("refuses HTML pages, truncated JSON, bad envelopes and items without a valid tm", () => {
    expect(() => parseAsosResponse("<!DOCTYPE html><html><body>점검 중</body></html>", ctx)).toThrow(SourceReturnedHtml);
    expect(() => parseAsosResponse(DOMAIN_EXAMPLE.slice(0, 300), ctx)).toThrow(BadPayload);
    expect(() => parseAsosResponse("", ctx)).toThrow(BadPayload);
    expect(() => parseAsosResponse(`{"foo":1}`, ctx)).toThrow(/unexpected envelope/);
    expect(() => parseAsosResponse(envelope({ item: [{ tm: "2025-07-01", ta: "1" }] }), ctx)).toThrow(/item 1: tm/);
  });
});
