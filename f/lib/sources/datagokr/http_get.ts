// One GET of a data.go.kr page through node:http/node:https, as fetch would answer it: redirects
// followed, the body decoded as UTF-8 (a BOM dropped, bad bytes as U+FFFD), the request aborted
// with the signal. Not fetch: in Node the first fetch loads undici and compiles its HTTP parser
// from WebAssembly, which keeps ~20 MB and peaks ~40 MB higher while V8 optimises it, in a
// backfill process that is otherwise ~120 MB (KOEN's client uses node:http too, for its TLS).
import http from "node:http";
import https from "node:https";

export interface TextAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20; // fetch's limit

export function httpGetText(url: string, signal: AbortSignal, redirects = 0): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const get = target.protocol === "https:" ? https.get : target.protocol === "http:" ? http.get : null;
    if (!get) return reject(new TypeError(`cannot GET ${target.protocol} URLs`));
    if (signal.aborted) return reject(signal.reason);
    // As fetch rejects: with the signal's reason when it fired, else a network error with its cause.
    const fail = (e: Error) => reject(signal.aborted ? signal.reason : new Error("request failed", { cause: e }));
    const req = get(target, { signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new Error(`more than ${MAX_REDIRECTS} redirects`));
        httpGetText(new URL(location, target).href, signal, redirects + 1).then(resolve, reject);
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", fail); // the connection closed (or the signal fired) before the body ended
      res.on("end", () => {
        const retryAfter = res.headers["retry-after"];
        resolve({ status, retryAfter: retryAfter ?? null, body: new TextDecoder().decode(Buffer.concat(chunks)) });
      });
    });
    req.on("error", fail);
  });
}
