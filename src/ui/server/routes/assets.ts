// The asset graph (/assets) and an asset's page (/asset?key=…): the partition grid of a window
// of days or months with statuses, filled shares and failing checks.
import type { Hono } from "hono";
import type { AssetDef } from "../../../../f/lib/assets/graph.ts";
import { timeDimension, type TimePartitions } from "../../../../f/lib/assets/partitions.ts";
import { statusCounts } from "../../../../f/lib/store/status_counts.ts";
import { checkStatus, describeCheckStatus } from "../../../../f/lib/store/check_results.ts";
import { LOADED_ASSETS } from "../../../../f/lib/assets/catalog.ts";
import { addDays, addMonths, eachDay, monthEnd, monthStart, todayKst, yesterdayKst } from "../../../../f/lib/time/kst.ts";
import { monthlyWindow } from "../../../cli/status_view.ts";
import { assetFreshness } from "../../sql/asset_freshness.ts";
import { cellChecks } from "../../sql/cell_checks.ts";
import { filledHours, type FilledHours } from "../../sql/filled_hours.ts";
import { partitionGrid } from "../../sql/partition_grid.ts";
import type { UiContext } from "../context.ts";
import { PickAnExistingOne } from "../errors.ts";
import { html, type Html } from "../html.ts";
import { assetPageParams, parseParams } from "../params.ts";
import { assetGraph, type NodeInfo } from "../views/asset_graph.ts";
import { assetHref, count } from "../views/format.ts";
import { healthBar } from "../views/health_bar.ts";
import { page } from "../views/layout.ts";
import { gridLegend, partitionGridView } from "../views/partition_grid.ts";
import { gridRows } from "../grid_rows.ts";

/** Days of the graph's health bars, as `pvpipe status` shows them. */
const GRAPH_DAYS = 14;

export function findAsset(ctx: UiContext, key: string): AssetDef {
  const a = ctx.assets.find((x) => x.key === key);
  if (!a) throw new PickAnExistingOne(`no asset "${key}" (assets: ${ctx.assets.map((x) => x.key).join(", ")})`);
  return a;
}

/** Partition keys loaded from a download made before their period was final (KOEN months), in a window. */
export async function partialKeys(ctx: UiContext, asset: AssetDef, start: string, end: string): Promise<Set<string>> {
  const served = LOADED_ASSETS.find((a) => a.key === asset.key || a.raw.key === asset.key);
  return new Set((await served?.source.planning.alwaysPlan?.(ctx.sql, { start, end })) ?? []);
}

async function graphPage(ctx: UiContext): Promise<Html> {
  const end = yesterdayKst();
  const start = addDays(end, -(GRAPH_DAYS - 1));
  const fresh = await assetFreshness(ctx.sql);
  const info = new Map<string, NodeInfo>();
  for (const asset of ctx.assets) {
    const t = timeDimension(asset.partitions);
    if (!t) continue;
    const w = t.kind === "monthly" ? monthlyWindow({ start, end }) : { start, end };
    const [counts, checks] = await Promise.all([
      statusCounts(ctx.sql, { asset, start: w.start, end: w.end, dims: await ctx.dimKeys(asset) }),
      checkStatus(ctx.sql, asset.key, w.start, w.end),
    ]);
    const f = fresh.get(asset.key);
    info.set(asset.key, {
      bar: counts.bar,
      counts: counts.counts,
      total: counts.total,
      lastMaterialized: f?.last_materialized_at ?? null,
      // "partial (final after the 10th)" → "partial": the node has one line for it.
      freshness: f?.state.split(" (")[0] ?? null,
      failingChecks: checks.failing,
      errorChecks: checks.errors,
    });
  }
  const body = html`<h1>Assets</h1>
<p class="lead">The asset graph: each asset with its partitions over the last ${GRAPH_DAYS} days (${start}..${end}; monthly assets: their ended months), its last materialization and its failing checks. Click an asset for its partition grid.</p>
${assetGraph(ctx.assets, info)}
<table class="data assets-table"><thead><tr><th>asset</th><th>depends on</th><th>partitions</th><th>materialized</th><th>stale</th><th>failed</th><th>missing</th><th>checks</th></tr></thead><tbody>
${ctx.assets.map((a) => {
  const i = info.get(a.key);
  return html`<tr><td><a href="${assetHref(a.key)}">${a.key}</a></td><td>${a.deps.join(", ")}</td><td>${a.description}</td><td class="num">${i?.counts.materialized ?? ""}</td><td class="num">${i?.counts.stale ?? ""}</td><td class="num">${i?.counts.failed ?? ""}</td><td class="num">${i?.counts.missing ?? ""}</td><td class="num">${i?.failingChecks ?? ""}</td></tr>`;
})}
</tbody></table>`;
  return page({ title: "Assets", section: "assets", body, today: todayKst() });
}

interface Window {
  times: string[];
  start: string;
  end: string;
  prevEnd: string;
  nextEnd: string | null;
  span: number;
}

function windowOf(t: TimePartitions, end: string | undefined, span: number | undefined): Window {
  if (t.kind === "monthly") {
    // The last ended month by default (the one `pvpipe start` loads), 12 months back.
    const n = span ?? 12;
    const last = monthStart(end ?? addDays(monthStart(todayKst()), -1));
    const first = addMonths(last, -(n - 1));
    const times = Array.from({ length: n }, (_, i) => addMonths(first, i));
    const next = addMonths(last, n);
    return { times, start: first, end: monthEnd(last), prevEnd: addMonths(last, -n), nextEnd: next <= monthStart(todayKst()) ? next : null, span: n };
  }
  const n = span ?? 31;
  const last = end ?? yesterdayKst();
  const first = addDays(last, -(n - 1));
  const next = addDays(last, n);
  return { times: eachDay(first, last), start: first, end: last, prevEnd: addDays(last, -n), nextEnd: next <= yesterdayKst() ? next : null, span: n };
}

/** The asset page for one window (the bench times it over a million partitions: bench/sections/ui.ts). */
async function assetPage(ctx: UiContext, params: Record<string, string>): Promise<Html> {
  const p = parseParams(assetPageParams, params);
  const asset = findAsset(ctx, p.key);
  const t = timeDimension(asset.partitions);
  const header = html`<h1>${asset.key}</h1>
<p class="lead">${asset.description}</p>
<dl class="facts">
  <dt>depends on</dt><dd>${asset.deps.length ? asset.deps.map((d, i) => html`${i ? ", " : ""}<a href="${assetHref(d)}">${d}</a>`) : "—"}</dd>
  <dt>used by</dt><dd>${downstream(ctx, asset.key).map((d, i) => html`${i ? ", " : ""}<a href="${assetHref(d)}">${d}</a>`)}${downstream(ctx, asset.key).length ? "" : "—"}</dd>
  <dt>step</dt><dd><code>${asset.step}</code>, code version ${asset.codeVersion}${asset.table ? html`, table <code>${asset.table}</code>` : ""}</dd>
  ${asset.fillModel ? html`<dt>fill policy</dt><dd>${asset.fillModel.kind} fills of <code>${asset.fillModel.table}</code></dd>` : ""}
  ${asset.checks?.length ? html`<dt>checks</dt><dd>${asset.checks.map((c, i) => html`${i ? ", " : ""}<span title="${c.description}">${c.name}</span> (${c.severity}${c.blocking ? ", blocking" : ""})`)}</dd>` : ""}
</dl>`;
  if (!t) return page({ title: asset.key, section: "assets", body: html`${header}<p>This asset has no time dimension: no partition grid.</p>`, today: todayKst() });

  const w = windowOf(t, p.end, p.span);
  const monthly = t.kind === "monthly";
  const dims = await ctx.dimKeys(asset);
  const [counts, grid, checks, filled, partial, checkState] = await Promise.all([
    statusCounts(ctx.sql, { asset, start: w.start, end: w.end, dims }),
    partitionGrid(ctx.sql, { asset, start: w.start, end: w.end, dims }),
    cellChecks(ctx.sql, { asset: asset.key, start: w.start, end: w.end }),
    asset.fillModel ? filledHours(ctx.sql, asset.fillModel, { grain: monthly ? "month" : "day", start: w.start, end: w.end }) : Promise.resolve<FilledHours[]>([]),
    partialKeys(ctx, asset, w.start, w.end),
    checkStatus(ctx.sql, asset.key, w.start, w.end),
  ]);
  const rows = gridRows({ asset: asset.key, times: w.times, monthly, dims, grid, checks, filled, partial });
  const nav = html`<p class="window-nav">
  <a href="${assetHref(asset.key, { end: w.prevEnd, span: w.span })}" rel="prev">← earlier</a>
  <strong>${w.times[0]} .. ${w.times.at(-1)}</strong> (${w.span} ${monthly ? "months" : "days"})
  ${w.nextEnd ? html`<a href="${assetHref(asset.key, { end: w.nextEnd, span: w.span })}" rel="next">later →</a>` : ""}
</p>`;
  const c = counts.counts;
  const body = html`${header}
${nav}
<p class="summary">${healthBar(counts.bar, { width: 400, height: 14, standalone: true })}
  ${count(c.materialized)} materialized${counts.empty ? ` (${count(counts.empty)} empty at source)` : ""}, ${count(c.stale)} stale, ${count(c.failed)} failed, ${count(c.missing)} missing of ${count(counts.total)} partitions${partial.size ? `, ${partial.size} partial` : ""}.
  <br>${describeCheckStatus(checkState)}</p>
${gridLegend()}
${partitionGridView(asset.key, w.times, rows, monthly)}`;
  return page({ title: asset.key, section: "assets", body, today: todayKst() });
}

const downstream = (ctx: UiContext, key: string) => ctx.assets.filter((a) => a.deps.includes(key)).map((a) => a.key);

export function registerAssetRoutes(app: Hono, ctx: UiContext): void {
  app.get("/assets", async (c) => c.html(await graphPage(ctx)));
  app.get("/asset", async (c) => c.html(await assetPage(ctx, c.req.query())));
}
