// KOEN (한국남동발전) PV download from koenergy.kr, as the site requires (DOMAIN §2.1): a session
// page `GET main.do` (sets JSESSIONID), then `POST csvDown.do` form-encoded with that cookie and the
// Referer/Origin headers. One month at a time, never in parallel: the site is fragile.
//
// node:http/node:https are used (not fetch) because they take a per-agent trust store on both Node
// and Bun: the shipped intermediate certificate is added for the KOEN host only (./tls.ts).
// Timeouts, network errors and HTTP 5xx/429 are retried with backoff; nothing else is, because
// repeating the same request cannot change an HTML page, a refused request or a certificate.
import { createHash, X509Certificate } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { compactYmd, parseIsoDate } from "../../time/kst.ts";
import { InvalidRequest, SourceError, SourceReturnedHtml, SourceUnavailable, TlsVerificationFailed } from "../errors.ts";
import { KOEN_SOURCE } from "./csv.ts";
import { isKoenHost, trustStore } from "./tls.ts";

/** The PV menu (DOMAIN §2.1). */
export const KOEN_PV_PAGE = { path: "/kosep/gv/nf/dt/nfdt21", menuCd: "FN0912020217" } as const;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export interface KoenClientOptions {
  baseUrl: string; // e.g. https://www.koenergy.kr
  /** KOEN_TLS_INSECURE=1: no certificate verification (warned about on every use). */
  tlsInsecure?: boolean;
  /** Certificates added to the roots for this client's host; default: the shipped intermediate for koenergy.kr only. */
  extraCa?: string[];
  /** Roots to trust instead of the runtime's bundled roots (tests use a throw-away CA). */
  trustedRoots?: string[];
  sessionTimeoutMs?: number; // default 30000 (main.do)
  downloadTimeoutMs?: number; // default 120000 (csvDown.do)
  retries?: number; // default 3
  retryBaseDelayMs?: number; // default 2000, doubled per retry
  /** Form filters (DOMAIN §2.1): empty = every plant and unit. */
  orgNo?: string;
  hokiS?: string;
  hokiE?: string;
  pageIndex?: string;
  signal?: AbortSignal;
  warn?: (message: string) => void;
}

/** The request as stored next to the bytes (raw.koen_files.request): no cookie values. */
export type KoenRequestRecord = {
  method: "POST";
  url: string;
  session_url: string;
  form: Record<string, string>;
  headers: Record<string, string>;
  cookies: string[];
  attempts: number;
  tls: { insecure: boolean; extra_ca: { subject: string; sha256: string }[] } | null;
};

export interface KoenDownload {
  request: KoenRequestRecord;
  status: number;
  contentType: string | null;
  body: Buffer;
  sha256: string;
}

export interface KoenClient {
  readonly baseUrl: string;
  readonly tlsInsecure: boolean;
  /** The month's CSV bytes, whatever they are (sniffing is the caller's job); throws SourceError. */
  download(window: { start: string; end: string }): Promise<KoenDownload>;
  describe(window: { start: string; end: string }): string;
  stats(): { requests: number; retries: number };
  close(): void;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  url: URL;
}

type Attempt = { ok: true; res: Response; cookies: string[] } | { ok: false; detail: string; retryAfterMs?: number };

const TLS_ERROR_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_REVOKED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

export function createKoenClient(opts: KoenClientOptions): KoenClient {
  const base = new URL(opts.baseUrl.replace(/\/+$/, ""));
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new RangeError(`KOEN base URL must be http(s), got ${opts.baseUrl}`);
  const baseUrl = base.href.replace(/\/+$/, "");
  const origin = base.origin;
  const tlsInsecure = opts.tlsInsecure === true;
  const sessionTimeoutMs = opts.sessionTimeoutMs ?? 30_000;
  const downloadTimeoutMs = opts.downloadTimeoutMs ?? 120_000;
  const retries = opts.retries ?? 3;
  const retryBaseDelayMs = opts.retryBaseDelayMs ?? 2_000;
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const totals = { requests: 0, retries: 0 };

  let agent: http.Agent;
  let tlsRecord: KoenRequestRecord["tls"] = null;
  if (base.protocol === "https:") {
    if (tlsInsecure) {
      agent = new https.Agent({ rejectUnauthorized: false });
      warn(
        `WARNING: KOEN_TLS_INSECURE=1: TLS certificate verification for ${base.hostname} is DISABLED; the downloaded data ` +
          "could be altered in transit. Unset it: the shipped intermediate certificate (certs/README.md) makes verification work.",
      );
      tlsRecord = { insecure: true, extra_ca: [] };
    } else {
      const { ca, extra } = trustStore({ hostname: base.hostname, extraCa: opts.extraCa, trustedRoots: opts.trustedRoots });
      agent = new https.Agent({ ca, rejectUnauthorized: true });
      tlsRecord = { insecure: false, extra_ca: extra.map(describeCert) };
    }
  } else {
    agent = new http.Agent();
  }

  const pageUrl = (file: string) => `${baseUrl}${KOEN_PV_PAGE.path}/${file}`;
  const filters = {
    pageIndex: opts.pageIndex ?? "1",
    menuCd: KOEN_PV_PAGE.menuCd,
    xmlText: "",
    strOrgNo: opts.orgNo ?? "",
    strHokiS: opts.hokiS ?? "",
    strHokiE: opts.hokiE ?? "",
  };
  const sessionUrl = (w: { start: string; end: string }) =>
    `${pageUrl("main.do")}?${new URLSearchParams({ ...filters, strDateS: compactYmd(w.start), strDateE: compactYmd(w.end) })}`;
  const form = (w: { start: string; end: string }) => ({ ...filters, strDateS: compactYmd(w.start), strDateE: compactYmd(w.end), ptSignature: "" });
  const describe = (w: { start: string; end: string }) => `csvDown.do strDateS=${compactYmd(w.start)} strDateE=${compactYmd(w.end)}`;

  function send(url: URL, init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<Response> {
    totals.requests++;
    return new Promise<Response>((resolve, reject) => {
      const mod = url.protocol === "https:" ? https : http;
      const req = mod.request(url, { method: init.method, headers: init.headers, agent });
      let settled = false;
      const finish = (err: unknown, res?: Response) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(res!);
      };
      const timer = setTimeout(() => finish(Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { code: "KOEN_TIMEOUT" })), init.timeoutMs);
      const onAbort = () => finish(opts.signal!.reason ?? new DOMException("The operation was aborted", "AbortError"));
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (e) => finish(e));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) finish(Object.assign(new Error(`body larger than ${MAX_BODY_BYTES} bytes`), { code: "KOEN_TOO_LARGE" }));
          else chunks.push(c);
        });
        res.on("error", (e) => finish(e));
        res.on("end", () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url }));
      });
      req.end(init.body);
    });
  }

  /** A request with same-origin redirects followed and cookies collected into the jar. */
  async function exchange(
    jar: Map<string, string>,
    url: URL,
    init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string; timeoutMs: number },
    request: string,
  ): Promise<Response> {
    let current = url;
    let method = init.method;
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const headers = { ...init.headers };
      if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      if (method === "GET") delete headers["Content-Type"];
      const res = await send(current, { ...init, method, headers, body: method === "POST" ? body : undefined });
      for (const c of res.headers["set-cookie"] ?? []) {
        const m = /^\s*([^=;\s]+)=([^;]*)/.exec(c);
        if (m) jar.set(m[1], m[2]);
      }
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || !location || res.status === 304) return res;
      const next = new URL(location, current);
      if (next.origin !== origin) {
        throw new InvalidRequest(KOEN_SOURCE, request, `HTTP ${res.status} redirect to another site (${next.origin})`, String(res.status));
      }
      if (hop >= MAX_REDIRECTS) throw new InvalidRequest(KOEN_SOURCE, request, `more than ${MAX_REDIRECTS} redirects`, String(res.status));
      if (res.status !== 307 && res.status !== 308) {
        method = "GET";
        body = undefined;
      }
      current = next;
    }
  }

  async function attemptOnce(w: { start: string; end: string }, request: string): Promise<Attempt> {
    const jar = new Map<string, string>();
    const mainUrl = sessionUrl(w);
    const common = { "User-Agent": "Mozilla/5.0", "Accept-Language": "ko-KR,ko;q=0.9" };
    const judge = (res: Response, step: string): Attempt | null => {
      if (res.status === 429 || res.status >= 500) {
        return { ok: false, detail: `${step} HTTP ${res.status}`, retryAfterMs: parseRetryAfter(res.headers["retry-after"]) };
      }
      if (res.status >= 400) {
        const ct = String(res.headers["content-type"] ?? "");
        if (/html/i.test(ct) || /^\s*</.test(res.body.subarray(0, 64).toString("latin1"))) throw new SourceReturnedHtml(KOEN_SOURCE, request, res.status);
        throw new InvalidRequest(KOEN_SOURCE, request, `${step} HTTP ${res.status}`, String(res.status));
      }
      return null;
    };
    try {
      const session = await exchange(jar, new URL(mainUrl), {
        method: "GET",
        headers: { ...common, Accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
        timeoutMs: sessionTimeoutMs,
      }, request);
      const verdict = judge(session, "main.do");
      if (verdict) return verdict;
      if (!jar.has("JSESSIONID")) warn(`KOEN: the session page set no JSESSIONID cookie (cookies: ${[...jar.keys()].join(", ") || "none"}); trying the download anyway`);
      const res = await exchange(jar, new URL(pageUrl("csvDown.do")), {
        method: "POST",
        headers: {
          ...common,
          Accept: "text/csv,application/csv,application/octet-stream,*/*;q=0.8",
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: origin,
          Referer: mainUrl,
        },
        body: new URLSearchParams(form(w)).toString(),
        timeoutMs: downloadTimeoutMs,
      }, request);
      const v2 = judge(res, "csvDown.do");
      if (v2) return v2;
      return { ok: true, res, cookies: [...jar.keys()] };
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string" && TLS_ERROR_CODES.has(code)) {
        const hint = isKoenHost(base.hostname)
          ? `${code}; ${base.hostname} omits its intermediate certificate and the shipped one (certs/turingsign-rsa-secure-ca-2.pem) did not complete the chain: ` +
            "the site may have changed CA — see certs/README.md. KOEN_TLS_INSECURE=1 disables verification (not recommended)"
          : `${code}: the server's chain does not lead to a trusted root with the configured certificates`;
        throw new TlsVerificationFailed(KOEN_SOURCE, `${base.host} (${request})`, hint, { cause: e });
      }
      if (e instanceof SourceError) throw e; // a verdict on the request, not a transient failure
      if (code === "KOEN_TIMEOUT") return { ok: false, detail: (e as Error).message };
      return { ok: false, detail: `network error (${networkDetail(e)})` };
    }
  }

  async function download(w: { start: string; end: string }): Promise<KoenDownload> {
    parseIsoDate(w.start, "start");
    parseIsoDate(w.end, "end");
    if (w.start > w.end) throw new RangeError(`KOEN window starts after it ends (${w.start} > ${w.end})`);
    if (tlsInsecure) warn(`WARNING: KOEN_TLS_INSECURE=1: downloading ${describe(w)} from ${base.host} without certificate verification`);
    const request = describe(w);
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(w, request);
      if (outcome.ok) {
        const { res } = outcome;
        const f = form(w);
        return {
          request: {
            method: "POST",
            url: pageUrl("csvDown.do"),
            session_url: sessionUrl(w),
            form: f,
            headers: {
              Origin: origin,
              Referer: sessionUrl(w),
              "Content-Type": "application/x-www-form-urlencoded",
              "User-Agent": "Mozilla/5.0",
            },
            cookies: outcome.cookies,
            attempts: attempt + 1,
            tls: tlsRecord,
          },
          status: res.status,
          contentType: (res.headers["content-type"] as string | undefined) ?? null,
          body: res.body,
          sha256: createHash("sha256").update(res.body).digest("hex"),
        };
      }
      if (attempt >= retries) {
        throw new SourceUnavailable(KOEN_SOURCE, request, `${outcome.detail}, still failing after ${attempt + 1} attempts`);
      }
      totals.retries++;
      const backoff = retryBaseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
      await sleep(outcome.retryAfterMs ?? backoff, opts.signal);
    }
  }

  return {
    baseUrl,
    tlsInsecure,
    download,
    describe,
    stats: () => ({ ...totals }),
    close: () => agent.destroy(),
  };
}

function describeCert(pem: string): { subject: string; sha256: string } {
  try {
    const c = new X509Certificate(pem);
    return { subject: c.subject.replace(/\n/g, ", "), sha256: c.fingerprint256 };
  } catch {
    return { subject: "(unparsable certificate)", sha256: createHash("sha256").update(pem).digest("hex") };
  }
}

function networkDetail(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code} ` : ""}${e.message}`;
}

function parseRetryAfter(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined || v.trim() === "") return undefined;
  const secs = Number(v);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 300_000) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
