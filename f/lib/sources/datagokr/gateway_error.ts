// The data.go.kr gateway answers key, quota and parameter problems with its own XML
// (<OpenAPI_ServiceResponse><cmmMsgHeader>…<returnReasonCode>NN</returnReasonCode>), often with HTTP 200
// and whatever dataType was asked for (DOMAIN §14). It is detected by text, not by parsing the
// expected format, so JSON clients recognise it too.
import { InvalidRequest, QuotaExceeded, ServiceKeyRejected, type SourceError } from "../errors.ts";

export interface GatewayFault {
  reasonCode: string;
  authMsg: string;
  errMsg: string;
}

const tagText = (body: string, tag: string): string | undefined =>
  new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(body)?.[1];

/** The gateway fault in `body`, or null when the body is not a gateway error response. */
export function parseGatewayFault(body: string): GatewayFault | null {
  if (!body.includes("OpenAPI_ServiceResponse") && !body.includes("returnReasonCode")) return null;
  const reasonCode = tagText(body, "returnReasonCode");
  if (reasonCode === undefined || !/^\d+$/.test(reasonCode)) return null;
  return {
    reasonCode: String(Number(reasonCode)), // "03"-style padding is not used by the gateway, but be lenient
    authMsg: tagText(body, "returnAuthMsg") || "UNKNOWN_ERROR",
    errMsg: tagText(body, "errMsg") || "SERVICE ERROR",
  };
}

export interface GatewayContext {
  source: string; // e.g. "KOSPO PwrSunLightInfo"
  request: string; // redacted description of the request
  keyVariable: string; // env variable holding the key, for messages
}

/** Map a gateway (or envelope) reason code to the typed error the caller should act on. */
export function gatewayError(reasonCode: string, authMsg: string, ctx: GatewayContext): SourceError {
  switch (reasonCode) {
    case "20":
    case "30":
    case "31":
    case "32":
      return new ServiceKeyRejected(ctx.keyVariable, authMsg, reasonCode);
    case "22":
      return new QuotaExceeded(ctx.keyVariable, authMsg);
    default: // 1, 10, 12, 99 and anything undocumented: the request was refused as sent
      return new InvalidRequest(ctx.source, ctx.request, authMsg, reasonCode);
  }
}

/** The typed error for a gateway error body, or null when `body` is not one. */
export function detectGatewayError(body: string, ctx: GatewayContext): SourceError | null {
  const fault = parseGatewayFault(body);
  return fault ? gatewayError(fault.reasonCode, fault.authMsg, ctx) : null;
}

/** True when the start of the body is an HTML page (maintenance/error pages come back with HTTP 200). */
export function looksLikeHtml(body: string): boolean {
  const head = body.slice(0, 1024).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") || /<html[\s>]/.test(head.slice(0, 300));
}
