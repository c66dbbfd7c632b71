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
    },
    required: ["service_key", "base_url", "key_name"],
  },
  {
    name: "slack",
    description: "Where pvpipe posts run reports and failures: an incoming webhook, or a bot token and a channel.",
    fields: {
      token: { type: "string", description: "Bot token (xoxb-…) for chat.postMessage; used when webhook_url is empty", password: true },
      channel: { type: "string", description: "Channel id or name for chat.postMessage, e.g. #pv-alerts" },
      webhook_url: { type: "string", description: "Incoming webhook URL; takes precedence over the token", password: true },
    },
    required: ["token", "channel", "webhook_url"],
  },
];
