// The workspace resources the flows reference (`resource("db")` → `$res:f/pv/db`), written to
// `f/pv/<name>.resource.yaml` by `npm run wmill:gen`. Secrets are never values here: every
// password field is a `$var:` reference to a secret variable created in the workspace
// (docs/WINDMILL.md). The non-secret values match the docker-compose stack; edit them in
// Windmill (or here) for another environment. CI's `wmill sync push --skip-resources` leaves
// deployed resources alone.
import { DEFAULT_ASOS_API_URL, DEFAULT_KOEN_BASE_URL, DEFAULT_KOSPO_API_URL } from "../src/config/env.ts";
import type { ResourceName } from "../src/flow/dsl.ts";

/** A reference to a Windmill variable, resolved by the worker when a job starts. */
export type VarRef = `$var:${string}`;

export type ResourceValue =
  | { resource_type: "postgresql"; value: { host: string; port: number; user: string; dbname: string; sslmode: string; password: VarRef } }
  | { resource_type: "data_go_kr"; value: { service_key: VarRef; base_url: string; key_name: string } }
  | { resource_type: "koen_site"; value: { base_url: string; tls_insecure: boolean } }
  | { resource_type: "slack"; value: { token: VarRef; channel: string; webhook_url: VarRef } };

export type ResourceDef = { name: ResourceName; description: string } & ResourceValue;

/** Folder of every resource, variable, script and flow of this project. */
export const FOLDER = "f/pv";
export const resourcePath = (name: string) => `${FOLDER}/${name}`;

/** The secret variables the resources read; created once per workspace (never committed). */
export const SECRET_VARIABLES: { path: string; description: string; env: string }[] = [
  { path: "f/pv/db_password", description: "Password of the PV PostgreSQL user", env: "PV_DB_PASSWORD" },
  { path: "f/pv/data_go_kr_key", description: "data.go.kr service key (KOSPO, ASOS)", env: "DATA_GO_KR_API_KEY" },
  { path: "f/pv/slack_token", description: "Slack bot token (may be empty when a webhook is used)", env: "SLACK_BOT_TOKEN" },
  { path: "f/pv/slack_webhook_url", description: "Slack incoming webhook URL (may be empty when a token is used)", env: "SLACK_WEBHOOK_URL" },
];

const DATA_GO_KR_KEY: VarRef = "$var:f/pv/data_go_kr_key";

export const RESOURCES: ResourceDef[] = [
  {
    name: "db",
    description: "PV PostgreSQL (pv_db in docker-compose.yml)",
    resource_type: "postgresql",
    value: { host: "pv_db", port: 5432, user: "pvpipe", dbname: "pv", sslmode: "disable", password: "$var:f/pv/db_password" },
  },
  {
    name: "kospo_api",
    description: "KOSPO (한국남부발전) PV generation API on data.go.kr",
    resource_type: "data_go_kr",
    value: { service_key: DATA_GO_KR_KEY, base_url: DEFAULT_KOSPO_API_URL, key_name: "f/pv/data_go_kr_key" },
  },
  {
    name: "asos_api",
    description: "KMA ASOS hourly weather API on data.go.kr",
    resource_type: "data_go_kr",
    value: { service_key: DATA_GO_KR_KEY, base_url: DEFAULT_ASOS_API_URL, key_name: "f/pv/data_go_kr_key" },
  },
  {
    name: "koen_site",
    description: "KOEN (한국남동발전) PV CSV downloads on koenergy.kr (no key; TLS verified with the shipped intermediate)",
    resource_type: "koen_site",
    value: { base_url: DEFAULT_KOEN_BASE_URL, tls_insecure: false },
  },
  {
    name: "slack",
    description: "Slack for run reports and failure alerts",
    resource_type: "slack",
    value: { token: "$var:f/pv/slack_token", channel: "#pv-alerts", webhook_url: "$var:f/pv/slack_webhook_url" },
  },
];
