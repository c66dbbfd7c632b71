// A local stand-in for the Slack Web API (`POST /api/chat.postMessage`, as @slack/web-api sends it:
// form-urlencoded with `blocks` as JSON, token in `Authorization: Bearer`) and for an incoming
// webhook (`POST /services/…`, JSON body). Answers like Slack: HTTP 200 with {ok:false, error} for
// platform errors, HTTP 429 + Retry-After for rate limits; a wrong token is `invalid_auth`.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type SlackFault = "ok" | "ratelimited" | "channel_not_found" | "invalid_auth" | "drop" | "http500";

export interface SlackRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed body; `blocks` decoded from JSON when the client sent it as a form field. */
  body: { channel?: string; text?: string; blocks?: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] } & Record<string, unknown>;
  at: number;
}

export interface SlackSim {
  /** Base for WebClient's slackApiUrl (ends with /api/). */
  apiUrl: string;
  webhookUrl: string;
  requests: SlackRequest[];
  /** Answers for the next requests, in order; afterwards every request is answered `ok`. */
  script(faults: SlackFault[]): void;
  retryAfter: number;
  close(): Promise<void>;
}

export const SIM_SLACK_TOKEN = "sim-slack-bot-token-0000"; // made up; deliberately not shaped like a real xoxb- token
export const SIM_WEBHOOK_PATH = "/services/T0SIM/B0SIM/webhook-secret-part";

export async function startSlackSim(opts: { token?: string; retryAfter?: number } = {}): Promise<SlackSim> {
  const token = opts.token ?? SIM_SLACK_TOKEN;
  const requests: SlackRequest[] = [];
  let queue: SlackFault[] = [];
  const sim = { retryAfter: opts.retryAfter ?? 1 };
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      const body = parseBody(raw, String(req.headers["content-type"] ?? ""));
      requests.push({ path, headers: req.headers, body, at: Date.now() });
      const fault = queue.shift() ?? "ok";
      if (fault === "drop") {
        req.socket.destroy();
        return;
      }
      const json = (status: number, o: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(o));
      };
      const plain = (status: number, s: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "text/plain", ...headers });
        res.end(s);
      };
      if (req.method === "POST" && path === "/api/chat.postMessage") {
        if (fault === "http500") return plain(500, "internal error");
        if (fault === "ratelimited") return json(429, { ok: false, error: "ratelimited" }, { "retry-after": String(sim.retryAfter) });
        if (fault === "invalid_auth" || req.headers.authorization !== `Bearer ${token}`) return json(200, { ok: false, error: "invalid_auth" });
        if (fault === "channel_not_found") return json(200, { ok: false, error: "channel_not_found" });
        if (!body.channel) return json(200, { ok: false, error: "channel_not_found" });
        return json(200, { ok: true, channel: body.channel, ts: `${Math.floor(Date.now() / 1000)}.000100`, message: { text: body.text } });
      }
      if (req.method === "POST" && path === SIM_WEBHOOK_PATH) {
        if (fault === "http500") return plain(500, "internal error");
        if (fault === "ratelimited") return plain(429, "rate_limited", { "retry-after": String(sim.retryAfter) });
        if (fault === "invalid_auth") return plain(403, "invalid_token");
        if (fault === "channel_not_found") return plain(404, "channel_not_found");
        return plain(200, "ok");
      }
      plain(404, "not found");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return Object.assign(sim, {
    apiUrl: `${base}/api/`,
    webhookUrl: `${base}${SIM_WEBHOOK_PATH}`,
    requests,
    script(faults: SlackFault[]) {
      queue = [...faults];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

function parseBody(raw: string, contentType: string): SlackRequest["body"] {
  if (contentType.includes("application/json")) {
    try {
      return JSON.parse(raw);
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  if (typeof out.blocks === "string") out.blocks = JSON.parse(out.blocks);
  return out as SlackRequest["body"];
}

/** All the text of a message's blocks, for assertions. */
export function blocksText(body: SlackRequest["body"]): string {
  return (body.blocks ?? [])
    .map((b) => [b.text?.text ?? "", ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => e.text)].join("\n"))
    .join("\n");
}
