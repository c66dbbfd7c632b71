// Environment variables, validated once. Empty strings count as unset.
import { z } from "zod";

const opt = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s));

export const envSchema = z.object({
  DATABASE_URL: opt,
  PVPIPE_DATA_DIR: opt,
  PVPIPE_DB_PORT: opt,
  // The local UI's port on 127.0.0.1 (`pvpipe start`, `pvpipe ui`; --ui-port overrides).
  PVPIPE_UI_PORT: opt,
  NAMBU_API_KEY: opt,
  DATA_GO_KR_API_KEY: opt,
  KOSPO_API_URL: opt,
  ASOS_API_KEY: opt,
  ASOS_API_URL: opt,
  KOEN_BASE_URL: opt,
  KOEN_USE_REAL_SITE: opt,
  KOEN_TLS_INSECURE: opt,
  SLACK_BOT_TOKEN: opt,
  SLACK_CHANNEL: opt,
  SLACK_WEBHOOK_URL: opt,
  // Windmill (`pvpipe backfill --engine windmill`): instance URL, user token (secret), workspace id.
  BASE_URL: opt,
  WM_TOKEN: opt,
  WM_WORKSPACE: opt,
});
export type Env = z.infer<typeof envSchema>;

export const readEnv = (env: NodeJS.ProcessEnv = process.env): Env => envSchema.parse(env);

export const DEFAULT_KOSPO_API_URL = "https://apis.data.go.kr/B552520/PwrSunLightInfo";
export const DEFAULT_ASOS_API_URL = "https://apis.data.go.kr/1360000/AsosHourlyInfoService";
export const DEFAULT_KOEN_BASE_URL = "https://www.koenergy.kr";

/** The data.go.kr key variables, each falling back to DATA_GO_KR_API_KEY (one account serves every API). */
export type DataGoKrKeyVariable = "NAMBU_API_KEY" | "ASOS_API_KEY";

/** The key and the name of the variable it came from (for messages; never the value). */
export function dataGoKrKey(env: Env, primary: DataGoKrKeyVariable): { key: string; name: string } | null {
  if (env[primary]) return { key: env[primary]!, name: primary };
  if (env.DATA_GO_KR_API_KEY) return { key: env.DATA_GO_KR_API_KEY, name: "DATA_GO_KR_API_KEY" };
  return null;
}
