// The asset graph as SVG, laid out by dagre (left to right, upstream first): one node per asset
// with its health bar, last materialization and failing checks; one edge per dependency. Each node
// links to its asset page.
import dagre from "@dagrejs/dagre";
import type { AssetDef } from "../../../../f/lib/assets/graph.ts";
import type { PartitionStatus } from "../../../../f/lib/store/partition_states.ts";
import { html, type Html } from "../html.ts";
import { assetHref, kst } from "./format.ts";
import { healthBar } from "./health_bar.ts";

export interface NodeInfo {
  bar: { pdate: string; status: PartitionStatus }[];
  counts: Record<PartitionStatus, number>;
  total: number;
  lastMaterialized: Date | null;
  freshness: string | null;
  failingChecks: number;
  errorChecks: number;
}

const W = 290;
const H = 112;

export function assetGraph(assets: readonly AssetDef[], info: Map<string, NodeInfo>): Html {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 90, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const a of assets) g.setNode(a.key, { width: W, height: H });
  for (const a of assets) for (const d of a.deps) g.setEdge(d, a.key);
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const edges = g.edges().map((e) => {
    const pts: { x: number; y: number }[] = g.edge(e).points ?? [];
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
    return html`<path class="asset-edge" data-edge="${e.v}->${e.w}" d="${d}" marker-end="url(#arrow)"><title>${e.w} depends on ${e.v}</title></path>`;
  });
  const nodes = assets.map((a) => {
    const n = g.node(a.key);
    const x = n.x - W / 2;
    const y = n.y - H / 2;
    const i = info.get(a.key);
    const checks = i ? (i.failingChecks ? `${i.failingChecks} failing check${i.failingChecks === 1 ? "" : "s"}${i.errorChecks ? ` (${i.errorChecks} error)` : ""}` : a.checks?.length ? "checks passing" : "no checks") : "";
    const worst = i ? (i.counts.failed ? "failed" : i.counts.missing ? "missing" : i.counts.stale ? "stale" : "materialized") : "missing";
    return html`<a href="${assetHref(a.key)}" class="asset-node" data-asset="${a.key}" data-worst="${worst}">
  <rect class="node-box" x="${x}" y="${y}" width="${W}" height="${H}" rx="8"></rect>
  <text class="node-key" x="${x + 12}" y="${y + 22}">${a.key}</text>
  <text class="node-sub" x="${x + 12}" y="${y + 40}">${i?.lastMaterialized ? `last materialized ${kst(i.lastMaterialized)}` : "never materialized"}${i?.freshness ? ` · ${i.freshness}` : ""}</text>
  ${i ? healthBar(i.bar, { width: W - 24, height: 16, x: x + 12, y: y + 52 }) : ""}
  <text class="node-sub" x="${x + 12}" y="${y + 86}">${i ? `${i.counts.materialized} ok · ${i.counts.stale} stale · ${i.counts.failed} failed · ${i.counts.missing} missing` : ""}</text>
  <text class="node-checks${i?.errorChecks ? " bad" : i?.failingChecks ? " warn" : ""}" x="${x + 12}" y="${y + 103}">${checks}</text>
</a>`;
  });
  return html`<svg class="asset-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="asset graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>
${edges}
${nodes}
</svg>`;
}
