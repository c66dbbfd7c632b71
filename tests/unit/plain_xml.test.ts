import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlainXml } from "../../f/lib/sources/plain_xml.ts";
import { DEFAULT_SIM_KEY, kospoSimSingleDayShape, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { addDays, compactYmd } from "../../f/lib/time/kst.ts";

// The options of f/lib/sources/kospo/response.ts, whose result the fast reader must equal.
const full = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true, ignoreDeclaration: true });
const DECL = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`;
const doc = (body: string) => `${DECL}\n<response>\n  <header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header>\n  <body>${body}</body>\n</response>`;

let sim: KospoSim;
beforeAll(async () => {
  sim = await startKospoSim({ today: "2025-03-15" });
});
afterAll(async () => sim?.close());

async function answer(gencd: string, hogi: number, start: string, end: string): Promise<string> {
  const q = new URLSearchParams({ serviceKey: DEFAULT_SIM_KEY, pageNo: "1", numOfRows: "100", strSdate: compactYmd(start), strEdate: compactYmd(end), strOrgCd: gencd, strHoki: String(hogi) });
  return (await fetch(`${sim.url}/getDataService?${q}`)).text();
}

describe("parsePlainXml", () => {
  it("reads every simulator answer exactly as fast-xml-parser does", async () => {
    const flat = ["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05"].find((d) => kospoSimSingleDayShape(d) === "flat")!;
    const item = ["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05"].find((d) => kospoSimSingleDayShape(d) === "item")!;
    const bodies = [
      await answer("997S", 1, "2024-06-01", "2024-07-01"), // several items
      await answer("997S", 1, flat, flat), // fields directly under <items>
      await answer("997S", 1, item, item),
      await answer("997S", 1, "2030-01-01", "2030-01-31"), // after the simulator's today: NODATA
      await answer("0000", 9, "2024-06-01", "2024-06-30"), // no such unit
      await (await fetch(`${sim.url}/getDataService?serviceKey=wrong&strOrgCd=997S`)).text(), // gateway verdict
    ];
    for (const b of bodies) {
      const plain = parsePlainXml(b);
      expect(plain, b.slice(0, 300)).toBeDefined();
      expect(plain).toEqual(full.parse(b));
    }
  });

  it("reads the forms of elements, text and whitespace fast-xml-parser reads the same way", () => {
    for (const b of [
      doc("<items/>"),
      doc("<items></items><numOfRows>0</numOfRows>"),
      doc("<items><item/><item><ymd>20240601</ymd></item></items>"),
      doc("<items >\n  <item>\n    <ipptnm>  한국남부발전(주)_신인천 태양광  </ipptnm>\n    <qhorgen01></qhorgen01>\n  </item >\n</items>"),
      doc("<items><item><ymd>20240601</ymd><ymd>20240602</ymd><ymd>x</ymd></item></items>"),
      doc("<items><item><a.b>1</a.b><c_d>2</c_d><e-f/><G9 /></item></items>"),
      "<OpenAPI_ServiceResponse>\r\n\t<cmmMsgHeader><returnReasonCode>30</returnReasonCode></cmmMsgHeader>\r\n</OpenAPI_ServiceResponse>\n",
      "<a/>",
      `<?xml version="1.0"?><a>x</a>`,
    ]) {
      expect(parsePlainXml(b), b).toEqual(full.parse(b));
    }
  });

  it("leaves everything else to the full parser", () => {
    for (const b of [
      doc(`<items><item id="1"><ymd>20240601</ymd></item></items>`),
      doc("<items><!-- none --></items>"),
      doc("<items><![CDATA[x]]></items>"),
      doc("<items><item><ipptnm>A &amp; B</ipptnm></item></items>"),
      doc("<items><item><ipptnm>A > B</ipptnm></item></items>"),
      doc("<items><item><ipptnm>A\u0001B</ipptnm></item></items>"),
      doc("<items>text<item/></items>"),
      doc("<items><item/>text</items>"),
      doc("<items><item></items></item>"),
      doc("<items><__proto__>x</__proto__></items>"),
      doc("<items><constructor>x</constructor></items>"),
      doc("<items><ns:item>x</ns:item></items>"),
      `<!DOCTYPE response><response/>`,
      `<?xml version="1.0" encoding="UTF-8"?><?pi x?><a/>`,
      `<?xml version='1.0'?><a/>`,
      ` <?xml version="1.0"?><a/>`,
      "<a/><b/>",
      "<a></a>text",
      "text",
      "",
      "<a>",
      "</a>",
      "<a",
    ]) {
      expect(parsePlainXml(b), b).toBeUndefined();
    }
  });

  it("never reads a truncated answer: every cut of a real one short of its end is left to the full parser", async () => {
    const b = await answer("997S", 1, "2024-06-01", addDays("2024-06-01", 4));
    const end = b.trimEnd().length;
    for (let cut = 0; cut < end; cut++) expect(parsePlainXml(b.slice(0, cut)), `cut at ${cut}`).toBeUndefined();
    expect(parsePlainXml(b)).toEqual(full.parse(b));
  });
});
