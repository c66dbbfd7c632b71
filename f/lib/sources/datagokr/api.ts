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

/** Budgeted fetches name the key's variable when its quota stops them. */
export const dataGoKrQuota = { keyVariable: (api: DataGoKrApi): string => api.key_name };
