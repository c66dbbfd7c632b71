// Loopback-only and same-origin: requests must name this server as their host (a page of another
// site that resolves its own name to 127.0.0.1 — DNS rebinding — is refused), and a request that
// changes state (launch, cancel) must come from this origin and carry the token of this start.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { ReloadThePage } from "./errors.ts";

export const newToken = (): string => randomBytes(24).toString("base64url");

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** Host header (or the URL's host for in-process requests). */
const hostOf = (c: Context): string => c.req.header("host") ?? new URL(c.req.url).host;

export function hostGuard(port: number | null): MiddlewareHandler {
  return async (c, next) => {
    const host = hostOf(c);
    const [name, p] = host.startsWith("[") ? [host.slice(0, host.indexOf("]") + 1), host.slice(host.indexOf("]") + 2)] : host.split(":");
    const okName = LOOPBACK_NAMES.includes(name.toLowerCase());
    const okPort = port === null || Number(p || 80) === port;
    if (!okName || !okPort) return c.text(`pvpipe UI: requests must be addressed to 127.0.0.1${port ? `:${port}` : ""} (got Host ${host})`, 421);
    await next();
  };
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "same-origin");
    c.header("Cache-Control", c.res.headers.get("Cache-Control") ?? "no-store");
  };
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a state-changing request: its Origin (or, without one, Sec-Fetch-Site or Referer) is this
 * server, and its token (form field `_token` or header `x-pvpipe-token`) is this start's.
 */
export async function requireSameOrigin(c: Context, token: string, form?: Record<string, unknown>): Promise<void> {
  const own = `http://${hostOf(c)}`;
  const origin = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  const referer = c.req.header("referer");
  const sameOrigin = origin !== undefined ? origin === own : site !== undefined ? site === "same-origin" : referer !== undefined && (referer === own || referer.startsWith(`${own}/`));
  if (!sameOrigin) throw new ReloadThePage("refused: this request did not come from a page of this UI (open the UI at its own address and try again)");
  const given = c.req.header("x-pvpipe-token") ?? (typeof form?._token === "string" ? form._token : undefined);
  if (!sameToken(given, token)) throw new ReloadThePage("refused: the page is from an earlier start of the UI or has no token; reload it and try again");
}
