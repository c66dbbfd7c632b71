// Find the first day with data of each KOSPO unit and store it in nambu_plants.first_date,
// so plans start where data starts.
import { ensureReady } from "../lib/db/setup.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { orDefault, parseStepArgs } from "../lib/runtime/step_args.ts";
import { createKospoClient } from "../lib/sources/kospo/client.ts";
import { yesterdayKst } from "../lib/time/kst.ts";
import { z } from "zod";

type Postgresql = PgResource;
type DataGoKr = { service_key: string; base_url: string; key_name: string; timeout_ms?: number };

/** The optional parameters: null (an omitted flow input on Windmill) means the default. */
const PROBE_OPTIONS = { gencd: orDefault(z.string(), ""), hogi: orDefault(z.number(), 0), earliest: orDefault(z.string(), "2010-01-01") };

export async function main(db: Postgresql, kospo_api: DataGoKr, gencd: string = "", hogi: number = 0, earliest: string = "2010-01-01") {
  ({ gencd, hogi, earliest } = parseStepArgs("kospo_probe", PROBE_OPTIONS, { gencd, hogi, earliest }));
  return withDb(db, async (sql) => {
    await ensureReady(sql);
    const units = await sql<{ gencd: string; hogi: number }[]>`
      select gencd, hogi from public.nambu_plants
      where (${gencd || null}::text is null or gencd = ${gencd || null}::text)
        and (${hogi || null}::int is null or hogi = ${hogi || null}::int)
      order by gencd, hogi`;
    const client = createKospoClient({
      baseUrl: kospo_api.base_url,
      serviceKey: kospo_api.service_key,
      keyVariable: kospo_api.key_name,
      timeoutMs: kospo_api.timeout_ms,
      signal: shutdownSignal,
    });
    const latest = yesterdayKst();
    const results: { gencd: string; hogi: number; first_date: string | null }[] = [];
    for (const u of units) {
      const first = await client.probeFirstDate(u.gencd, u.hogi, { earliest, latest });
      await sql`update public.nambu_plants set first_date = ${first}::date, probed_at = now()
                where gencd = ${u.gencd} and hogi = ${u.hogi}`;
      results.push({ gencd: u.gencd, hogi: u.hogi, first_date: first });
    }
    return { probed: results.length, with_data: results.filter((r) => r.first_date).length, requests: client.stats().requests, units: results };
  });
}
