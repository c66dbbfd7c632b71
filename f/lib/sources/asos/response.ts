// Classify one ASOS getWthrDataList response body (asked with dataType=JSON): data, no data, gateway
// error (XML whatever dataType was asked, DOMAIN §14), HTML page or unreadable payload.
import { z } from "zod";
import { BadPayload, SourceUnavailable } from "../errors.ts";
import { gatewayError } from "../datagokr/gateway_error.ts";
import { pageBody, refuseNonData, TRANSIENT_RESULT_CODES, type Page, type PageContext } from "../datagokr/page.ts";
import { asosItem, type AsosRawItem } from "./item.ts";

export type AsosPage = Page<AsosRawItem>;
export type AsosResponseContext = PageContext;

// Counts arrive as JSON numbers (§14); accept numeric strings too.
const count = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "expected a non-negative integer").transform(Number)])
  .optional();

const envelope = z.object({
  response: z.object({
    header: z.object({ resultCode: z.union([z.string().min(1), z.number()]).transform(String), resultMsg: z.string().optional() }),
    body: pageBody(count).optional().nullable(),
  }),
});

export function parseAsosResponse(body: string, ctx: AsosResponseContext): AsosPage {
  refuseNonData(body, ctx);
  const text = body.replace(/^\uFEFF/, "").trim();
  if (text === "") throw new BadPayload(ctx.source, ctx.request, "empty body");
  if (text.startsWith("<")) return xmlEnvelope(text, ctx); // the service answered XML despite dataType=JSON

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BadPayload(ctx.source, ctx.request, `truncated or malformed JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) throw new BadPayload(ctx.source, ctx.request, `unexpected envelope: ${describeIssues(parsed.error)}`, { cause: parsed.error });
  const { header, body: content } = parsed.data.response;
  const empty: AsosPage = { items: [], totalCount: 0, pageNo: content?.pageNo ?? 1, numOfRows: content?.numOfRows ?? 0 };
  checkResultCode(header.resultCode, header.resultMsg, ctx);
  if (header.resultCode === "03") return empty;

  const rawItems = itemsOf(content?.items, ctx);
  const items = rawItems.map((raw, i) => {
    const r = asosItem.safeParse(raw);
    if (!r.success) throw new BadPayload(ctx.source, ctx.request, `item ${i + 1}: ${describeIssues(r.error)}`, { cause: r.error });
    return raw as AsosRawItem;
  });
  return {
    items,
    totalCount: content?.totalCount ?? items.length,
    pageNo: content?.pageNo ?? 1,
    numOfRows: content?.numOfRows ?? items.length,
  };
}

/** "00" passes, "03" (NO_DATA) is returned to the caller as empty; anything else throws. */
function checkResultCode(code: string, msg: string | undefined, ctx: AsosResponseContext): void {
  if (code === "00" || code === "03") return;
  const m = msg ?? "UNKNOWN_ERROR";
  if (TRANSIENT_RESULT_CODES.has(code)) throw new SourceUnavailable(ctx.source, ctx.request, `result code ${code} (${m})`, code);
  if (!/^\d+$/.test(code)) throw new BadPayload(ctx.source, ctx.request, `result code "${code}" (${m})`);
  throw gatewayError(String(Number(code)), m, ctx);
}

/** A `<response><header><resultCode>` XML answer: only a verdict (no data) is accepted from it. */
function xmlEnvelope(text: string, ctx: AsosResponseContext): AsosPage {
  const code = /<resultCode>\s*([^<]*?)\s*<\/resultCode>/.exec(text)?.[1];
  if (code === undefined) throw new BadPayload(ctx.source, ctx.request, "XML answer to a dataType=JSON request without a result code");
  const msg = /<resultMsg>\s*([^<]*?)\s*<\/resultMsg>/.exec(text)?.[1];
  checkResultCode(code, msg, ctx);
  if (code === "03" || !/<item>/.test(text)) return { items: [], totalCount: 0, pageNo: 1, numOfRows: 0 };
  throw new BadPayload(ctx.source, ctx.request, "data came back as XML although dataType=JSON was asked");
}

/** `{item: [...]}`, `{item: {...}}` (one item), `{item: []}`, `""` and a missing `items` → a list. */
function itemsOf(items: unknown, ctx: AsosResponseContext): unknown[] {
  if (items === undefined || items === null || items === "") return [];
  if (typeof items !== "object" || Array.isArray(items)) throw new BadPayload(ctx.source, ctx.request, "items is not an object");
  const rec = items as Record<string, unknown>;
  if (!("item" in rec)) {
    if (Object.keys(rec).length === 0) return [];
    throw new BadPayload(ctx.source, ctx.request, "items holds no item");
  }
  const item = rec.item;
  if (item === undefined || item === null || item === "") return [];
  return Array.isArray(item) ? item : [item];
}

function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
