// `pvpipe status`: per asset, partitions by status over a window, and a one-line health bar.
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import { keyDimensions, timeDimension } from "../../f/lib/assets/partitions.ts";
import { addDays, monthStart, todayKst } from "../../f/lib/time/kst.ts";
import type { Sql } from "../../f/lib/db/resource.ts";
import type { PartitionStatus } from "../../f/lib/store/partition_states.ts";
import { statusCounts, type StatusCounts } from "../../f/lib/store/status_counts.ts";
import { checkStatus, describeCheckStatus, type CheckStatus } from "../../f/lib/store/check_results.ts";
import { UsageError } from "../config/errors.ts";

const GLYPH: Record<PartitionStatus, string> = { materialized: "█", stale: "▒", failed: "✗", missing: "·" };
const COLOR: Record<PartitionStatus, string> = { materialized: "32", stale: "33", failed: "31", missing: "90" };

/** Partition counts, plus the asset's current check state (failing checks) when it has checks or results. */
export type AssetStatus = StatusCounts & { checks?: CheckStatus; window?: { start: string; end: string } };

/**
 * The months a monthly asset is counted over: those of the window that have ended (a month still
 * going cannot be loaded whole, so it is not "missing"); in a window without one, the last ended
 * month, which is the one `pvpipe start` loads. `status` and `start` both count through here.
 */
export function monthlyWindow(window: { start: string; end: string }, today = todayKst()): { start: string; end: string } {
  const lastEnded = addDays(monthStart(today), -1);
  const end = window.end < lastEnded ? window.end : lastEnded;
  const start = monthStart(window.start);
  return end >= start ? { start, end } : { start: monthStart(lastEnded), end: lastEnded };
}

/** The status of the catalog's assets (or of `assets`, declared elsewhere), one or all of them. */
export async function collectStatus(sql: Sql, opts: { asset?: string; start: string; end: string; assets?: readonly AssetDef[] }): Promise<AssetStatus[]> {
  const all = opts.assets ?? ASSETS;
  const assets = opts.asset ? all.filter((a) => a.key === opts.asset) : all;
  if (assets.length === 0) throw new UsageError(`unknown asset "${opts.asset}" (known: ${all.map((a) => a.key).join(", ")})`);
  const out: AssetStatus[] = [];
  for (const asset of assets) {
    const dims = keyDimensions(asset.partitions);
    let keys = null;
    if (dims.length === 1 && dims[0].kind === "dynamic") keys = await DIMENSION_RESOLVERS[dims[0].name](sql);
    else if (dims.length === 1 && dims[0].kind === "static") keys = dims[0].keys.map((key) => ({ key }));
    const w = timeDimension(asset.partitions)?.kind === "monthly" ? monthlyWindow(opts) : { start: opts.start, end: opts.end };
    const counts: AssetStatus = await statusCounts(sql, { asset, start: w.start, end: w.end, dims: keys });
    if (w.start !== opts.start || w.end !== opts.end) counts.window = w;
    const checks = await checkStatus(sql, asset.key, w.start, w.end);
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
  const monthly = rows.filter((r) => r.window);
  for (const r of monthly) lines.push(`(${r.asset}: one mark per ended month, ${r.window!.start.slice(0, 7)}..${r.window!.end.slice(0, 7)})`);
  return lines.join("\n");
}
