// `pvpipe status`: per asset, partitions by status over a window, and a one-line health bar.
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import { keyDimensions } from "../../f/lib/assets/partitions.ts";
import type { Sql } from "../../f/lib/db/resource.ts";
import type { PartitionStatus } from "../../f/lib/store/partition_states.ts";
import { statusCounts, type StatusCounts } from "../../f/lib/store/status_counts.ts";
import { checkStatus, describeCheckStatus, type CheckStatus } from "../../f/lib/store/check_results.ts";
import { UsageError } from "../config/errors.ts";

const GLYPH: Record<PartitionStatus, string> = { materialized: "█", stale: "▒", failed: "✗", missing: "·" };
const COLOR: Record<PartitionStatus, string> = { materialized: "32", stale: "33", failed: "31", missing: "90" };

/** Partition counts, plus the asset's current check state (failing checks) when it has checks or results. */
export type AssetStatus = StatusCounts & { checks?: CheckStatus };

export async function collectStatus(sql: Sql, opts: { asset?: string; start: string; end: string }): Promise<AssetStatus[]> {
  const assets = opts.asset ? ASSETS.filter((a) => a.key === opts.asset) : ASSETS;
  if (assets.length === 0) throw new UsageError(`unknown asset "${opts.asset}" (known: ${ASSETS.map((a) => a.key).join(", ")})`);
  const out: AssetStatus[] = [];
  for (const asset of assets) {
    const dims = keyDimensions(asset.partitions);
    let keys = null;
    if (dims.length === 1 && dims[0].kind === "dynamic") keys = await DIMENSION_RESOLVERS[dims[0].name](sql);
    else if (dims.length === 1 && dims[0].kind === "static") keys = dims[0].keys.map((key) => ({ key }));
    const counts: AssetStatus = await statusCounts(sql, { asset, start: opts.start, end: opts.end, dims: keys });
    const checks = await checkStatus(sql, asset.key, opts.start, opts.end);
    if (checks.results > 0 || checks.failing > 0 || asset.checks?.length) counts.checks = checks;
    out.push(counts);
  }
  return out;
}

export function renderStatus(rows: AssetStatus[], window: { start: string; end: string }, color: boolean): string {
  const width = Math.max(...rows.map((r) => r.asset.length));
  const lines = [`partitions ${window.start}..${window.end} (one mark per day: █ materialized ▒ stale ✗ failed · missing)`];
  for (const r of rows) {
    const bar = r.bar.map((b) => (color ? `\x1b[${COLOR[b.status]}m${GLYPH[b.status]}\x1b[0m` : GLYPH[b.status])).join("");
    const c = r.counts;
    const empty = r.empty ? ` (${r.empty} empty at source)` : "";
    lines.push(`${r.asset.padEnd(width)}  ${bar}  materialized ${c.materialized}${empty}, stale ${c.stale}, failed ${c.failed}, missing ${c.missing} of ${r.total}`);
    if (r.checks) lines.push(`${" ".repeat(width)}  ${describeCheckStatus(r.checks)}`);
  }
  return lines.join("\n");
}
