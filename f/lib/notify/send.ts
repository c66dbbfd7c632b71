// Deliver a built message to Slack: `chat.postMessage` through @slack/web-api's WebClient when the
// resource has a bot token and a channel, else the incoming webhook of the old setup, else skip.
// Never throws: every Slack failure (ratelimited, channel_not_found, invalid_auth, HTTP, network)
// becomes a Delivery with the reason, so a notification can never fail the data run. A rate limit
// is retried once after its Retry-After when that is within a bounded wait. Neither the token nor
// the webhook URL ever appears in a detail or a log line.
import { LogLevel, WebClient, type Logger } from "@slack/web-api";
import type { SlackMessage } from "./message.ts";

/** The `slack` resource (resources/types.ts): a bot token + channel, or an incoming webhook URL. */
export type SlackTarget = { token: string; channel: string; webhook_url: string };

export interface Delivery {
  status: "sent" | "skipped" | "error";
  via: "api" | "webhook" | null;
  channel: string | null;
  /** HTTP requests made (0 when skipped). */
  attempts: number;
  /** Why it was skipped, or the Slack error; null when sent. Secrets are replaced by ***. */
  detail: string | null;
}

export interface SendOptions {
  /** Slack Web API base, e.g. http://127.0.0.1:PORT/api/ (tests); default https://slack.com/api/. */
  apiUrl?: string;
  /** Longest Retry-After honoured before the one retry of a rate-limited post (seconds). */
  maxRetryWaitSeconds?: number;
  /** Per request. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { maxRetryWaitSeconds: 30, timeoutMs: 10_000 };

/** Rate limited: wait `retryAfter` seconds (null when Slack gave no usable Retry-After). */
class RateLimited {
  constructor(readonly retryAfter: number | null) {}
}

type Attempt = { ok: true } | { ok: false; limited?: RateLimited; detail: string };

export async function sendSlack(target: Partial<SlackTarget> | null | undefined, message: SlackMessage, opts: SendOptions = {}): Promise<Delivery> {
  const token = (target?.token ?? "").trim();
  const channel = (target?.channel ?? "").trim();
  const webhook = (target?.webhook_url ?? "").trim();
  const secrets = [token, webhook].filter((s) => s.length >= 4);
  const redact = (s: string) => secrets.reduce((acc, x) => acc.split(x).join("***"), s).slice(0, 500);

  let via: Delivery["via"];
  let post: () => Promise<Attempt>;
  if (token && channel) {
    via = "api";
    post = apiPoster(token, channel, message, opts);
  } else if (webhook) {
    via = "webhook";
    post = webhookPoster(webhook, message, opts);
  } else {
    const detail = token
      ? "a Slack bot token is set but no channel (SLACK_CHANNEL, or channel in the slack resource)"
      : "Slack is not configured (SLACK_BOT_TOKEN + SLACK_CHANNEL, or SLACK_WEBHOOK_URL; on Windmill the f/pv/slack resource)";
    return { status: "skipped", via: null, channel: channel || null, attempts: 0, detail };
  }

  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = opts.maxRetryWaitSeconds ?? DEFAULTS.maxRetryWaitSeconds;
  let attempts = 0;
  let last: Attempt = { ok: false, detail: "not sent" };
  for (let i = 0; i < 2; i++) {
    attempts++;
    last = await post().catch((e: unknown): Attempt => ({ ok: false, detail: `unexpected error: ${(e as Error)?.message ?? String(e)}` }));
    if (last.ok) return { status: "sent", via, channel: via === "api" ? channel : null, attempts, detail: null };
    const wait = last.limited?.retryAfter ?? null;
    // One retry, only for a rate limit whose Retry-After is within the bounded wait.
    if (i > 0 || !last.limited || wait === null || wait > maxWait) break;
    await sleep(wait * 1000);
  }
  let detail = last.ok ? "not sent" : last.detail;
  if (!last.ok && last.limited && attempts === 1) {
    detail += last.limited.retryAfter === null ? "; not retried (no Retry-After)" : `; not retried (Retry-After longer than ${maxWait} s)`;
  }
  return { status: "error", via, channel: via === "api" ? channel : null, attempts, detail: redact(detail) };
}

/** A logger that keeps the WebClient quiet: our step logs one line per outcome itself. */
const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function apiPoster(token: string, channel: string, message: SlackMessage, opts: SendOptions): () => Promise<Attempt> {
  const client = new WebClient(token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
    // We retry ourselves (once, on a rate limit), so the client never sleeps for minutes.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? DEFAULTS.timeoutMs,
    logger: silentLogger,
  });
  return async () => {
    try {
      await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false });
      return { ok: true };
    } catch (e) {
      return apiFailure(e);
    }
  };
}

/** @slack/web-api errors by their `code` (robust to duplicate module copies), never their headers. */
function apiFailure(e: unknown): Attempt {
  const err = e as { code?: string; message?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: Error & { cause?: unknown } };
  switch (err?.code) {
    case "slack_webapi_rate_limited_error":
      return { ok: false, limited: new RateLimited(finite(err.retryAfter)), detail: `ratelimited (Retry-After ${err.retryAfter} s)` };
    case "slack_webapi_platform_error": {
      const code = err.data?.error ?? "unknown_error";
      if (code === "ratelimited") return { ok: false, limited: new RateLimited(1), detail: "ratelimited" };
      return { ok: false, detail: `${code}${PLATFORM_HINTS[code] ? `: ${PLATFORM_HINTS[code]}` : ""}` };
    }
    case "slack_webapi_http_error":
      return { ok: false, detail: `HTTP ${err.statusCode} from the Slack API` };
    case "slack_webapi_request_error":
      return { ok: false, detail: `network error: ${describeCause(err.original)}` };
    default:
      return { ok: false, detail: `error: ${err?.message ?? String(e)}` };
  }
}

const PLATFORM_HINTS: Record<string, string> = {
  channel_not_found: "the channel does not exist or the bot cannot see it (use the channel id, or invite the bot)",
  not_in_channel: "invite the bot to the channel (/invite @bot)",
  invalid_auth: "the bot token is invalid (SLACK_BOT_TOKEN, or token in the slack resource)",
  not_authed: "no bot token was sent",
  token_revoked: "the bot token was revoked: install the app again and update the token",
  account_inactive: "the bot token belongs to a deactivated app or user",
  missing_scope: "the bot token lacks the chat:write scope",
};

function describeCause(e: (Error & { cause?: unknown }) | undefined): string {
  if (!e) return "request failed";
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const inner = cause?.code ?? cause?.message;
  return inner && inner !== e.message ? `${e.message} (${inner})` : e.message;
}

const finite = (n: unknown): number | null => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : null);

function webhookPoster(url: string, message: SlackMessage, opts: SendOptions): () => Promise<Attempt> {
  return async () => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ text: message.text, blocks: message.blocks }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULTS.timeoutMs),
      });
    } catch (e) {
      return { ok: false, detail: `network error: ${describeCause(e as Error)}` };
    }
    const body = (await res.text().catch(() => "")).trim().slice(0, 200);
    if (res.ok) return { ok: true };
    if (res.status === 429) {
      const after = Number.parseInt(res.headers.get("retry-after") ?? "", 10);
      const retryAfter = Number.isNaN(after) ? null : after;
      return { ok: false, limited: new RateLimited(retryAfter), detail: `ratelimited (webhook HTTP 429, Retry-After ${retryAfter ?? "missing"} s)` };
    }
    return { ok: false, detail: `webhook answered HTTP ${res.status}${body ? `: ${body}` : ""}` };
  };
}
