// What both data.go.kr clients (KOSPO, ASOS) do for one page: the request goes through one queue
// bounding in-flight requests and the request rate, takes a request from the run's budget first,
// and is retried with backoff on transient failures only (timeouts, network errors, HTTP 5xx/429,
// an envelope-level service timeout). Gateway verdicts, HTML pages and unreadable payloads are not
// retried: repeating the same request cannot change them. The key is never reported: neither in
// the URL nor inside a network error text.
import PQueue from "p-queue";
import { InvalidRequest, SourceError, SourceReturnedHtml, SourceUnavailable } from "../errors.ts";
import { detectGatewayError, looksLikeHtml, type GatewayContext } from "./gateway_error.ts";
import { networkDetail, nonNegativeInt, parseRetryAfter, positiveInt } from "./http.ts";
import { httpGetText, type TextAnswer } from "./http_get.ts";
import { createRunControl, requestWithRetry, type Attempt, type Run, type RunControl } from "./runs.ts";
import { encodeServiceKey, normalizeServiceKey, queryWithServiceKey, redactServiceKey } from "./service_key.ts";

export interface TransportOptions {
  baseUrl: string; // e.g. https://apis.data.go.kr/B552520/PwrSunLightInfo ; the operation is appended
  serviceKey: string; // raw value from the environment, Encoding or Decoding form
  keyVariable: string; // env var name, for messages
  concurrency?: number; // default 4 (in-flight requests)
  requestsPerSecond?: number; // default 25 (bounded request rate)
  timeoutMs?: number; // default 20000
  retries?: number; // default 3; only timeouts, network errors, HTTP 5xx and 429 (Retry-After honoured)
  retryBaseDelayMs?: number; // default 500; first backoff step, doubled per retry
  signal?: AbortSignal;
  fetch?: typeof fetch; // injectable (tests); default node:http(s) (./http_get.ts)
  /** Called before every HTTP attempt (retries too); throws to refuse it (RequestBudgetSpent: the run's request budget). */
  beforeRequest?: () => Promise<void>;
}

export interface Transport<P> {
  concurrency: number;
  control: RunControl;
  /** Masks `serviceKey=…` and every form of this client's key. */
  scrub(text: string): string;
  /** One page: `described` is the request as reported (key masked); `priority` orders the queue. */
  request(run: Run, params: Record<string, string | number>, described: string, priority: number): Promise<P>;
}

export function createTransport<P>(
  opts: TransportOptions,
  api: { source: string; operation: string; parse(body: string, ctx: GatewayContext & { status: number }): P },
): Transport<P> {
  const key = normalizeServiceKey(opts.serviceKey, opts.keyVariable);
  const concurrency = positiveInt(opts.concurrency ?? 4, "concurrency");
  const requestsPerSecond = positiveInt(opts.requestsPerSecond ?? 25, "requestsPerSecond");
  const timeoutMs = positiveInt(opts.timeoutMs ?? 20_000, "timeoutMs");
  const retries = nonNegativeInt(opts.retries ?? 3, "retries");
  const retryBaseDelayMs = opts.retryBaseDelayMs ?? 500;
  const injected = opts.fetch;
  const get = injected
    ? async (url: string, signal: AbortSignal): Promise<TextAnswer> => {
        const res = await injected(url, { signal });
        return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
      }
    : httpGetText;
  const endpoint = `${opts.baseUrl.replace(/\/+$/, "")}/${api.operation}`;
  const keyForms = [...new Set([opts.serviceKey.trim(), key, encodeServiceKey(key)])].filter((s) => s.length >= 4);
  const queue = new PQueue({ concurrency, intervalCap: requestsPerSecond, interval: 1000, strict: true });
  const control = createRunControl(opts.signal);

  const scrub = (text: string): string => keyForms.reduce((t, k) => t.replaceAll(k, "***"), redactServiceKey(text));

  async function attemptOnce(run: Run, params: Record<string, string | number>, request: string): Promise<Attempt<P>> {
    const url = `${endpoint}?${queryWithServiceKey(key, params)}`;
    await opts.beforeRequest?.();
    // A timer cleared with the answer: AbortSignal.timeout would keep each request's signals (and
    // what listens to them) for the whole timeout after the answer, ~200 of them in a backfill.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException("The operation timed out", "TimeoutError")), timeoutMs);
    control.count(run, "requests");
    let status: number;
    let body: string;
    let retryAfter: string | null;
    try {
      ({ status, retryAfter, body } = await get(url, AbortSignal.any([run.cancelInFlight.signal, timeout.signal])));
    } catch (e) {
      if (run.cancelInFlight.signal.aborted) throw run.fatal;
      if (timeout.signal.aborted) return { ok: false, detail: `no answer within ${timeoutMs} ms` };
      return { ok: false, detail: `network error (${scrub(networkDetail(e))})` };
    } finally {
      clearTimeout(timer);
    }
    if (status === 429 || status >= 500) return { ok: false, detail: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfter) };
    const ctx = { source: api.source, request, keyVariable: opts.keyVariable, status };
    if (status !== 200) {
      // Some gateways send their verdict with 401/403; anything else in 4xx is a refused request.
      const gateway = detectGatewayError(body, ctx);
      if (gateway) throw gateway;
      if (looksLikeHtml(body)) throw new SourceReturnedHtml(api.source, request, status);
      throw new InvalidRequest(api.source, request, `HTTP ${status}`, String(status));
    }
    try {
      return { ok: true, page: api.parse(body, ctx) };
    } catch (e) {
      if (e instanceof SourceUnavailable) return { ok: false, detail: e.message }; // envelope-level service timeout
      throw e;
    }
  }

  return {
    concurrency,
    control,
    scrub,
    request: (run, params, described, priority) =>
      requestWithRetry(run, control, queue, { source: api.source, retries, retryBaseDelayMs, scrub }, described, priority, () => attemptOnce(run, params, described)),
  };
}

/** What a failed day is stored with: the error's code and its message, the key masked. */
export function failureOf(e: unknown, scrub: (text: string) => string): { reason: string; errorCode: string } {
  if (e instanceof SourceError) return { reason: scrub(e.message), errorCode: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  return { reason: scrub(err.message), errorCode: err.name };
}
