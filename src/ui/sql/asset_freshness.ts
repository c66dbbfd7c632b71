// Per asset: when it was last materialized, the last day its data covers and whether it is late —
// the Grafana view reporting.asset_freshness, read as it is.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface AssetFreshness {
  asset: string;
  last_materialized_at: Date | null;
  data_through: string | null;
  state: string;
  hours_late: number;
}

export async function assetFreshness(sql: Sql): Promise<Map<string, AssetFreshness>> {
  const rows = await sql<AssetFreshness[]>`
    select asset, last_materialized_at, to_char(data_through, 'YYYY-MM-DD') as data_through, state, hours_late
    from reporting.asset_freshness`;
  return new Map(rows.map((r) => [r.asset, r]));
}
