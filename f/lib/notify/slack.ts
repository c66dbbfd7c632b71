// Post a message to Slack: an incoming webhook when the resource has one, else chat.postMessage
// with the bot token. The token never appears in an error message.

/** The `slack` resource type (slack.resource-type.yaml). */
export type SlackResource = { token: string; channel: string; webhook_url: string };

export class SlackNotConfigured extends Error {
  readonly retryable = false;
  constructor() {
    super("the slack resource has neither a webhook_url nor a token and channel: fill in f/pv/slack (or SLACK_WEBHOOK_URL / SLACK_BOT_TOKEN + SLACK_CHANNEL locally)");
    this.name = "SlackNotConfigured";
  }
}

export class SlackPostFailed extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "SlackPostFailed";
    this.retryable = retryable;
  }
}

export const SLACK_API_URL = "https://slack.com/api/chat.postMessage";

export async function postSlack(
  slack: SlackResource,
  text: string,
  opts: { fetch?: typeof fetch; apiUrl?: string } = {},
): Promise<{ via: "webhook" | "api" }> {
  const doFetch = opts.fetch ?? fetch;
  if (slack.webhook_url) {
    const res = await doFetch(slack.webhook_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
    if (!res.ok) throw new SlackPostFailed(`Slack webhook answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`, res.status >= 500 || res.status === 429);
    return { via: "webhook" };
  }
  if (slack.token && slack.channel) {
    const res = await doFetch(opts.apiUrl ?? SLACK_API_URL, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${slack.token}` },
      body: JSON.stringify({ channel: slack.channel, text }),
    });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!res.ok || !body.ok) {
      throw new SlackPostFailed(`Slack chat.postMessage failed: HTTP ${res.status}${body.error ? `, ${body.error}` : ""}`, res.status >= 500 || res.status === 429);
    }
    return { via: "api" };
  }
  throw new SlackNotConfigured();
}
