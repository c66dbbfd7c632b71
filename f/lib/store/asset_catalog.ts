// The asset definitions as rows of ops.asset_catalog, so that SQL (the reporting views Grafana
// reads) knows each asset's code version, upstream assets and expected partitions. ensureReady
// calls syncAssetCatalog; it writes only rows that changed and removes assets no longer defined.
import { ASSETS } from "../assets/catalog.ts";
import type { AssetDef } from "../assets/graph.ts";
import { keyDimensions, timeDimension } from "../assets/partitions.ts";
import type { Sql } from "../db/resource.ts";
import type { FreshnessCheckSpec, FreshnessRule } from "../quality/check_spec.ts";

export type AssetCatalogRow = {
  asset: string;
  description: string;
  deps: string[];
  code_version: string;
  time_kind: "daily" | "monthly" | null;
  time_start: string | null;
  /** The one dynamic key dimension; null without one. Other shapes have no expected partitions in SQL. */
  dimension: string | null;
  table_name: string | null;
  step: string;
  /** The freshness rule the asset declares (reporting.asset_freshness judges per cadence), or null. */
  freshness: FreshnessRule | null;
};

export function assetCatalogRows(assets: readonly AssetDef[] = ASSETS): AssetCatalogRow[] {
  return assets.map((a) => {
    const t = timeDimension(a.partitions);
    const keys = keyDimensions(a.partitions);
    const dimension =
      keys.length === 0 ? null : keys.length === 1 && keys[0].kind === "dynamic" ? keys[0].name : keys.map((k) => `${k.kind}:${k.name}`).join("×");
    return {
      asset: a.key,
      description: a.description,
      deps: [...a.deps],
      code_version: a.codeVersion,
      time_kind: t?.kind ?? null,
      time_start: t?.start ?? null,
      dimension,
      table_name: a.table ?? null,
      step: a.step,
      freshness: a.checks?.find((c): c is FreshnessCheckSpec => c.kind === "freshness")?.rule ?? null,
    };
  });
}

export async function syncAssetCatalog(sql: Sql, assets: readonly AssetDef[] = ASSETS): Promise<{ written: number; removed: number }> {
  // Only before migration 0007 is applied (e.g. a stale migrations_gen.ts) is the table missing.
  const [{ exists }] = await sql<{ exists: boolean }[]>`select to_regclass('ops.asset_catalog') is not null as exists`;
  if (!exists) return { written: 0, removed: 0 };
  const rows = assetCatalogRows(assets);
  const [r] = await sql<{ written: number; removed: number }[]>`
    with input as (
      select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as t(
        asset text, description text, deps text[], code_version text, time_kind text, time_start date,
        dimension text, table_name text, step text, freshness jsonb)
    ), written as (
      insert into ops.asset_catalog as c (asset, description, deps, code_version, time_kind, time_start, dimension, table_name, step, freshness, synced_at)
      select asset, description, coalesce(deps, '{}'), code_version, time_kind, time_start, dimension, table_name, step, freshness, now() from input
      on conflict (asset) do update set
        description = excluded.description, deps = excluded.deps, code_version = excluded.code_version,
        time_kind = excluded.time_kind, time_start = excluded.time_start, dimension = excluded.dimension,
        table_name = excluded.table_name, step = excluded.step, freshness = excluded.freshness, synced_at = now()
      where (c.description, c.deps, c.code_version, c.time_kind, c.time_start, c.dimension, c.table_name, c.step, c.freshness)
        is distinct from (excluded.description, excluded.deps, excluded.code_version, excluded.time_kind,
                          excluded.time_start, excluded.dimension, excluded.table_name, excluded.step, excluded.freshness)
      returning 1
    ), removed as (
      delete from ops.asset_catalog c where not exists (select 1 from input i where i.asset = c.asset)
      returning 1
    )
    select (select count(*) from written)::int as written, (select count(*) from removed)::int as removed
  `;
  return { written: Number(r.written), removed: Number(r.removed) };
}
