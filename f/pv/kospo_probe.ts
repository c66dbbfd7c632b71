// Find the first day with data of each KOSPO unit and store it in nambu_plants.first_date,
// so plans start where data starts.
import { ensureReady } from "../lib/db/setup.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { orDefault, postgresqlResource, stepArgs } from "../lib/runtime/step_args.ts";
import { dataGoKrApi } from "../lib/sources/datagokr/api.ts";
import { createKospoClient } from "../lib/sources/kospo/client.ts";
import { recordFirstDate, unitsToProbe } from "../lib/sources/kospo/first_dates.ts";
import { yesterdayKst } from "../lib/time/kst.ts";
import { z } from "zod";

type Postgresql = PgResource;
type DataGoKr = { service_key: string; base_url: string; key_name: string; timeout_ms?: number };

export const args = stepArgs("kospo_probe", {
  db: postgresqlResource,
  kospo_api: dataGoKrApi.describe("KOSPO API on data.go.kr (f/pv/kospo_api)"),
  gencd: orDefault(z.string(), "").describe("Plant code; empty = all"),
  hogi: orDefault(z.number(), 0).describe("Unit; 0 = all"),
  earliest: orDefault(z.string(), "2010-01-01").describe("Do not look before this day"),
});

export async function main(db: Postgresql, kospo_api: DataGoKr, gencd: string = "", hogi: number = 0, earliest: string = "2010-01-01") {
  const a = args.parse({ db, kospo_api, gencd, hogi, earliest });
  ({ gencd, hogi, earliest } = a);
  return withDb(a.db, async (sql) => {
    await ensureReady(sql);
    const units = await unitsToProbe(sql, { gencd, hogi });
    const client = createKospoClient({
      baseUrl: a.kospo_api.base_url,
      serviceKey: a.kospo_api.service_key,
      keyVariable: a.kospo_api.key_name,
      timeoutMs: a.kospo_api.timeout_ms ?? undefined,
      signal: shutdownSignal,
    });
    const latest = yesterdayKst();
    const results: { gencd: string; hogi: number; first_date: string | null }[] = [];
    for (const u of units) {
      const first = await client.probeFirstDate(u.gencd, u.hogi, { earliest, latest });
      await recordFirstDate(sql, u, first);
      results.push({ gencd: u.gencd, hogi: u.hogi, first_date: first });
    }
    return { probed: results.length, with_data: results.filter((r) => r.first_date).length, requests: client.stats().requests, units: results };
  });
}
