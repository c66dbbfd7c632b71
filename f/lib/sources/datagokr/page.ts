// What a data.go.kr page is, whatever its format: items and the paging counts, in an envelope whose
// result code says whether the gateway or the request failed. Both responses (KOSPO's XML, ASOS's
// JSON) are first refused when they are an HTML page or a gateway verdict.
import { z } from "zod";
import { SourceReturnedHtml } from "../errors.ts";
import { detectGatewayError, looksLikeHtml, type GatewayContext } from "./gateway_error.ts";

export interface Page<I> {
  items: I[];
  totalCount: number;
  pageNo: number;
  numOfRows: number;
}

export interface PageContext extends GatewayContext {
  status?: number; // HTTP status, for messages
}

/** Envelope result codes that describe a gateway-side hiccup rather than the request. */
export const TRANSIENT_RESULT_CODES = new Set(["02", "04", "05"]); // DB_ERROR, HTTP_ERROR, SERVICETIMEOUT_ERROR

/** The envelope's body: the items (each format reads them its own way) and the counts. */
export const pageBody = <C extends z.ZodType>(count: C) => z.object({ items: z.unknown().optional(), totalCount: count, pageNo: count, numOfRows: count });

/** An HTML page (whatever the status) or a gateway verdict is thrown as its typed error. */
export function refuseNonData(body: string, ctx: PageContext): void {
  if (looksLikeHtml(body)) throw new SourceReturnedHtml(ctx.source, ctx.request, ctx.status ?? 200);
  const gateway = detectGatewayError(body, ctx);
  if (gateway) throw gateway;
}
