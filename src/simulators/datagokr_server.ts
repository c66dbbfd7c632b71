// The HTTP side both data.go.kr simulators (KOSPO, ASOS) share: requests counted and logged as
// received (the raw query, to check how the key was encoded), the in-flight high-water mark, an
// optional latency, 404 for another path, and the answer the simulator chose — a response, a
// dropped connection, or no answer at all (the client's timeout ends it).
import type { IncomingMessage, ServerResponse } from "node:http";
import { htmlPage } from "./datagokr_gateway.ts";
import { listenSim } from "./listen.ts";

export type SimAnswer =
  | { status: number; contentType: string; body: string | Buffer; tag: string; headers?: Record<string, string> }
  | { drop: true; tag: string }
  | { hang: true; tag: string };

export interface SimLogEntry {
  path: string;
  query: Record<string, string>; // as decoded once by URL parsing
  rawQuery: string; // as sent, to check how the key was encoded
  answer: string; // "data" | "nodata" | "gateway-30" | "fault-502" | "html" | "truncated" | …
}

export interface DataGoKrSim {
  url: string; // base URL; request {url}/<operation>
  close(): Promise<void>;
  readonly requests: number;
  readonly maxInFlight: number;
  log: SimLogEntry[];
}

export async function serveDataGoKr(
  /**
   * `prepare`: work the service may do while a request is under way (a pure cache fill, nothing a
   * test observes), so that with a latency the answer leaves `latencyMs` after the request came,
   * not `latencyMs` plus the time to compute it.
   */
  o: { path: string; operation: string; latencyMs?: number; prepare?: (query: URLSearchParams) => void },
  answer: (query: URLSearchParams, rawQuery: string, inFlight: number) => SimAnswer,
): Promise<DataGoKrSim> {
  const log: SimLogEntry[] = [];
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on("close", finish);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const entry: SimLogEntry = { path: url.pathname, query: Object.fromEntries(url.searchParams), rawQuery: url.search.replace(/^\?/, ""), answer: "" };
    log.push(entry);
    if (o.latencyMs) {
      const arrived = performance.now();
      o.prepare?.(url.searchParams);
      const left = o.latencyMs - (performance.now() - arrived);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
    if (url.pathname !== `${o.path}/${o.operation}`) {
      entry.answer = "not-found";
      res.writeHead(404, { "content-type": "text/html" }).end(htmlPage("404 Not Found"));
      return;
    }
    const a = answer(url.searchParams, entry.rawQuery, inFlight);
    entry.answer = a.tag;
    if ("drop" in a) {
      req.socket.destroy();
      finish();
      return;
    }
    if ("hang" in a) return; // the client's timeout ends it (or close() does)
    res.writeHead(a.status, { "content-type": a.contentType, ...a.headers }).end(a.body);
  }

  const server = await listenSim(handle);
  return {
    url: `${server.origin}${o.path}`,
    close: server.close,
    get requests() {
      return requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    log,
  };
}
