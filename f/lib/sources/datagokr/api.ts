// The data.go.kr resource (Windmill resource type `data_go_kr`): a service key, the API's base URL,
// the variable the key came from (named in every message about it) and a request timeout.
import { z } from "zod";

export const dataGoKrApi = z.object({
  service_key: z.string(),
  base_url: z.string(),
  key_name: z.string(),
  timeout_ms: z.number().int().positive().nullish(),
});
export type DataGoKrApi = z.output<typeof dataGoKrApi>;

/**
 * What every data.go.kr source declares alike: its API resource (`kospo_api`), a daily request
 * quota naming the key's variable when it stops a run, days published up to yesterday, chunks of
 * at most 31 days, and two retries 30 s apart.
 */
export const dataGoKrSource = (resource: string) => ({
  api: { resource, schema: dataGoKrApi },
  quota: { keyVariable: (api: DataGoKrApi): string => api.key_name },
  planning: { maxChunk: 31, publishesUpTo: "yesterday" as const },
  retry: { attempts: 2, seconds: 30 },
});
