// Classify one KOSPO response body: data, empty, gateway error, HTML page or unreadable payload.
// Items come in two shapes (DOMAIN §1.4): `<items><item>…</item>…</items>` and, for single-day
// queries, the fields placed directly under `<items>`.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { BadPayload, SourceUnavailable } from "../errors.ts";
import { gatewayError } from "../datagokr/gateway_error.ts";
import { pageBody, refuseNonData, TRANSIENT_RESULT_CODES, type Page, type PageContext } from "../datagokr/page.ts";
import { normalizeYmd } from "../../time/kst.ts";
import { parsePlainXml } from "../plain_xml.ts";
import { HOUR_FIELDS, kospoItem, OPTIONAL_FIELDS, type KospoRawItem } from "./item.ts";

export type KospoPage = Page<KospoRawItem>;
export type KospoResponseContext = PageContext;

// Tag values stay strings ("0010", "1.50" are kept verbatim); attributes are irrelevant here.
const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true, ignoreDeclaration: true });

const count = z
  .string()
  .regex(/^\d+$/, "expected a non-negative integer")
  .transform(Number)
  .optional();

const envelope = z.object({
  response: z.object({
    header: z.object({ resultCode: z.string().min(1), resultMsg: z.string().optional() }),
    body: pageBody(count).optional(),
  }),
});

export function parseKospoResponse(body: string, ctx: KospoResponseContext): KospoPage {
  refuseNonData(body, ctx);
  if (body.trim() === "") throw new BadPayload(ctx.source, ctx.request, "empty body");

  const parsed = envelope.safeParse(parsePlainXml(body) ?? parseInFull(body, ctx));
  if (!parsed.success) throw new BadPayload(ctx.source, ctx.request, `unexpected envelope: ${describeIssues(parsed.error)}`, { cause: parsed.error });

  const { header, body: content } = parsed.data.response;
  const empty: KospoPage = { items: [], totalCount: 0, pageNo: content?.pageNo ?? 1, numOfRows: content?.numOfRows ?? 0 };
  if (header.resultCode === "03") return empty; // NODATA_ERROR
  if (header.resultCode !== "00") {
    const msg = header.resultMsg ?? "UNKNOWN_ERROR";
    if (TRANSIENT_RESULT_CODES.has(header.resultCode)) {
      throw new SourceUnavailable(ctx.source, ctx.request, `result code ${header.resultCode} (${msg})`, header.resultCode);
    }
    throw gatewayError(String(Number(header.resultCode)), msg, ctx);
  }

  const rawItems = itemsOf(content?.items, ctx);
  const items = rawItems.map((raw, i) => {
    if (!isPlainKospoItem(raw)) {
      const r = kospoItem.safeParse(raw);
      if (!r.success) throw new BadPayload(ctx.source, ctx.request, `item ${i + 1}: ${describeIssues(r.error)}`, { cause: r.error });
    }
    return asStrings(raw as Record<string, unknown>);
  });
  return {
    items,
    totalCount: content?.totalCount ?? items.length,
    pageNo: content?.pageNo ?? 1,
    numOfRows: content?.numOfRows ?? items.length,
  };
}

/** Validated, then parsed by fast-xml-parser: a document that is not plain elements and text. */
function parseInFull(body: string, ctx: KospoResponseContext): unknown {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new BadPayload(ctx.source, ctx.request, `truncated or malformed XML (${valid.err.msg} at line ${valid.err.line})`);
  }
  return parser.parse(body);
}

/**
 * An item kospoItem accepts, checked without zod (its parse costs ~8 KB per item): every field it
 * declares a string where present, the hour cells and a real ymd present. Any other item is
 * parsed by kospoItem, whose issues word the error.
 */
function isPlainKospoItem(raw: unknown): boolean {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return false;
  const item = raw as Record<string, unknown>;
  if (typeof item.ymd !== "string" || normalizeYmd(item.ymd) === null) return false;
  for (const f of HOUR_FIELDS) if (typeof item[f] !== "string") return false;
  for (const f of OPTIONAL_FIELDS) if (item[f] !== undefined && typeof item[f] !== "string") return false;
  return true;
}

/** Both shapes → a list of plain objects; `<items/>` → []. */
function itemsOf(items: unknown, ctx: KospoResponseContext): unknown[] {
  if (items === undefined || items === "") return [];
  if (typeof items !== "object" || items === null || Array.isArray(items)) {
    throw new BadPayload(ctx.source, ctx.request, "<items> is not an element list");
  }
  const rec = items as Record<string, unknown>;
  if ("item" in rec) {
    const list = Array.isArray(rec.item) ? rec.item : [rec.item];
    return list.filter((x) => x !== ""); // a stray empty <item/> carries nothing
  }
  if ("ymd" in rec) return [rec]; // shape 2: fields directly under <items>
  if (Object.keys(rec).length === 0) return [];
  throw new BadPayload(ctx.source, ctx.request, "<items> holds neither <item> nor item fields");
}

function asStrings(raw: Record<string, unknown>): KospoRawItem {
  const out: KospoRawItem = {};
  for (const [k, v] of Object.entries(raw)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
