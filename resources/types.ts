// Custom Windmill resource types of this project, written at the repo root as
// `<name>.resource-type.yaml` by `npm run wmill:gen`. `postgresql` is built into Windmill.
// Steps take them as typed parameters named after the type (`type DataGoKr = {...}` →
// `format: resource-data_go_kr`), so Windmill shows a resource picker of that type.

export interface ResourceTypeField {
  type: "string" | "integer" | "number" | "boolean";
  description: string;
  /** Masked in the Windmill UI; the value must be a `$var:` reference to a secret variable. */
  password?: boolean;
  default?: string | number | boolean;
  format?: string;
}

export interface ResourceTypeDef {
  name: string;
  description: string;
  fields: Record<string, ResourceTypeField>;
  required: string[];
}

export const RESOURCE_TYPES: ResourceTypeDef[] = [
  {
    name: "data_go_kr",
    description: "A data.go.kr (공공데이터포털) API: service key, base URL, and the name of the variable the key comes from (for messages).",
    fields: {
      service_key: { type: "string", description: "Service key (Encoding or Decoding form, both work)", password: true },
      base_url: { type: "string", description: "Base URL of the API, e.g. https://apis.data.go.kr/B552520/PwrSunLightInfo", format: "uri" },
      key_name: { type: "string", description: "Name of the variable holding the key, shown in error messages instead of the key" },
      timeout_ms: { type: "integer", description: "Per-request timeout in ms before a request is retried (default 20000)", default: 20000 },
    },
    required: ["service_key", "base_url", "key_name"],
  },
  {
    name: "koen_site",
    description:
      "The koenergy.kr site of KOEN (한국남동발전) PV downloads: base URL, and the explicit opt-out of TLS certificate verification " +
      "(false by default; the shipped intermediate certificate makes verification work).",
    fields: {
      base_url: { type: "string", description: "Base URL of the site, e.g. https://www.koenergy.kr", format: "uri" },
      tls_insecure: { type: "boolean", description: "true = do NOT verify the site's certificate (warned about on every use, recorded on the run)", default: false },
      pause_ms: { type: "integer", description: "Pause between monthly downloads in ms (default 5000; the site is fragile)", default: 5000 },
    },
    required: ["base_url"],
  },
  {
    name: "slack",
    description: "Where pvpipe posts run reports and failures: a bot token and a channel (chat.postMessage), or an incoming webhook (the old setup).",
    fields: {
      token: { type: "string", description: "Bot token (xoxb-…) for chat.postMessage; with a channel it takes precedence over webhook_url", password: true },
      channel: { type: "string", description: "Channel id or name for chat.postMessage, e.g. #pv-alerts" },
      webhook_url: { type: "string", description: "Incoming webhook URL (the old setup); used when token or channel is empty", password: true },
    },
    required: ["token", "channel", "webhook_url"],
  },
];
