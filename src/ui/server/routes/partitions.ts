// A partition's page (/partition?asset=…&key=…): its status, every materialization (rows, data and
// code versions, errors), its check results and evaluations, and the stored raw payload
// (/raw?asset=…&key=…, a KOEN file's exact bytes at /raw/file?id=…).
import type { Hono } from "hono";
import type { AssetDef } from "../../../../f/lib/assets/graph.ts";
import { splitPartitionKey, timeDimension } from "../../../../f/lib/assets/partitions.ts";
import type { PartitionStatus } from "../../../../f/lib/store/partition_states.ts";
import { statusCounts } from "../../../../f/lib/store/status_counts.ts";
import { isoDate, todayKst } from "../../../../f/lib/time/kst.ts";
import { materializationHistory, partitionCheckResults, partitionEvaluations } from "../../sql/partition_history.ts";
import { koenFileBody, RAW_TABLES, rawFetches } from "../../sql/raw_payload.ts";
import type { UiContext } from "../context.ts";
import { CorrectTheRequest, PickAnExistingOne } from "../errors.ts";
import { html, type Html } from "../html.ts";
import { parseParams, partitionParams, rawBodyParams } from "../params.ts";
import { assetHref, badge, count, kst, partitionHref, qs, runHref } from "../views/format.ts";
import { page } from "../views/layout.ts";
import { findAsset, partialKeys } from "./assets.ts";

/** The raw asset whose payloads a partition was built from: itself, or an upstream raw.* asset. */
function rawAssetOf(ctx: UiContext, asset: AssetDef): AssetDef | null {
  if (asset.table && (RAW_TABLES as readonly string[]).includes(asset.table)) return asset;
  for (const d of asset.deps) {
    const up = ctx.assets.find((a) => a.key === d);
    const found = up ? rawAssetOf(ctx, up) : null;
    if (found) return found;
  }
  return null;
}

function parsePartition(asset: AssetDef, key: string): { timeKey: string; pdim: string | null } {
  const t = timeDimension(asset.partitions);
  if (!t) throw new CorrectTheRequest(`${asset.key} has no time dimension`);
  const { timeKey, pdim } = splitPartitionKey(asset.partitions, key);
  if (!timeKey || !isoDate.safeParse(timeKey).success || (t.kind === "monthly" && !timeKey.endsWith("-01"))) {
    throw new CorrectTheRequest(`key: "${key}" is not a partition key of ${asset.key} (e.g. ${t.kind === "monthly" ? "2026-11-01" : "2026-12-01|997S-1"})`);
  }
  if (pdim !== null && pdim.length === 0) throw new CorrectTheRequest(`key: "${key}" names no unit`);
  return { timeKey, pdim };
}

async function partitionPage(ctx: UiContext, q: Record<string, string>): Promise<Html> {
  const p = parseParams(partitionParams, q);
  const asset = findAsset(ctx, p.asset);
  const { timeKey, pdim } = parsePartition(asset, p.key);
  const [counts, history, results, evaluations, partial] = await Promise.all([
    statusCounts(ctx.sql, { asset, start: timeKey, end: timeKey, dims: pdim === null ? null : [{ key: pdim }] }),
    materializationHistory(ctx.sql, asset.key, p.key),
    partitionCheckResults(ctx.sql, asset.key, p.key),
    partitionEvaluations(ctx.sql, asset.key, p.key),
    partialKeys(ctx, asset, timeKey, timeKey),
  ]);
  let status: string = (Object.entries(counts.counts).find(([, n]) => n > 0)?.[0] as PartitionStatus | undefined) ?? "missing";
  if (status === "materialized" && partial.has(p.key)) status = "partial";
  const latest = history[0];
  const raw = rawAssetOf(ctx, asset);
  const related = [...asset.deps, ...ctx.assets.filter((a) => a.deps.includes(asset.key)).map((a) => a.key)];
  const failing = results.filter((r) => r.current && !r.passed);
  const body = html`<p class="crumbs"><a href="${assetHref(asset.key)}">${asset.key}</a> › partition</p>
<h1>${p.key}</h1>
<p class="summary">status ${badge(status, html`data-partition-status="${status}"`)}
  ${latest ? html` · last attempt ${kst(latest.finished_at)} by run <a href="${runHref(latest.run_id)}">${latest.run_id.slice(0, 8)}</a>` : " · never attempted"}
  ${raw ? html` · <a href="/raw?${qs({ asset: raw.key, key: p.key })}" class="raw-link">stored raw payload (${raw.table})</a>` : ""}
  ${related.length ? html` · same partition of ${related.map((k, i) => html`${i ? ", " : ""}<a href="${partitionHref(k, p.key)}">${k}</a>`)}` : ""}</p>
${latest?.status === "failed" ? html`<div class="error-box" role="alert"><strong>latest attempt failed:</strong> <span class="partition-error">${ctx.redact(latest.error ?? "")}</span></div>` : ""}
<h2>Materializations</h2>
${history.length === 0 ? html`<p>None yet.</p>` : html`<table class="data materializations"><thead><tr><th>finished (KST)</th><th>run</th><th>status</th><th class="num">rows</th><th>data version</th><th>code version</th><th>error</th></tr></thead><tbody>
${history.map((m) => html`<tr class="m-${m.status}"><td>${kst(m.finished_at)}</td><td><a href="${runHref(m.run_id)}">${m.run_id.slice(0, 8)}</a></td><td>${badge(m.status)}</td><td class="num">${count(m.row_count)}</td><td><code title="${m.data_version ?? ""}">${(m.data_version ?? "").slice(0, 12)}</code></td><td>${m.code_version}</td><td class="err">${ctx.redact(m.error ?? "")}</td></tr>`)}
</tbody></table>`}
<h2>Checks</h2>
${evaluations.length ? html`<table class="data evaluations"><thead><tr><th>check</th><th>severity</th><th class="num">judged</th><th class="num">passed</th><th>checked (KST)</th></tr></thead><tbody>
${evaluations.map((e) => html`<tr class="${e.passed < e.subjects ? "bad" : ""}"><td>${e.check_name}</td><td>${e.severity}${e.blocking ? ", blocking" : ""}</td><td class="num">${e.subjects}</td><td class="num">${e.passed}</td><td>${kst(e.checked_at)}</td></tr>`)}
</tbody></table>` : html`<p>No check has judged this partition.</p>`}
${results.length ? html`<p>${failing.length ? `${failing.length} current failing result${failing.length === 1 ? "" : "s"}` : "No current failing result"}; every recorded result:</p>
<table class="data check-results"><thead><tr><th>checked (KST)</th><th>check</th><th>unit</th><th>day</th><th>result</th><th class="num">value</th><th>message</th></tr></thead><tbody>
${results.map((r) => html`<tr class="${r.current ? "" : "replaced"}"><td>${kst(r.checked_at)}</td><td>${r.check_name}</td><td>${r.unit ?? ""}</td><td>${r.day ?? ""}</td><td>${badge(r.passed ? "passed" : r.severity === "error" ? "failed" : "warning")}${r.current ? "" : html` <small>replaced</small>`}</td><td class="num">${r.value ?? ""}</td><td>${r.message}</td></tr>`)}
</tbody></table>` : ""}`;
  return page({ title: `${asset.key} ${p.key}`, section: "assets", body, today: todayKst() });
}

async function rawPage(ctx: UiContext, q: Record<string, string>): Promise<Html> {
  const p = parseParams(partitionParams, q);
  const asset = findAsset(ctx, p.asset);
  if (!asset.table || !(RAW_TABLES as readonly string[]).includes(asset.table)) throw new CorrectTheRequest(`${asset.key} keeps no raw payloads (raw assets: ${ctx.assets.filter((a) => a.table?.startsWith("raw.")).map((a) => a.key).join(", ")})`);
  parsePartition(asset, p.key);
  const fetches = await rawFetches(ctx.sql, asset.table, p.key);
  const body = html`<p class="crumbs"><a href="${assetHref(asset.key)}">${asset.key}</a> › <a href="${partitionHref(asset.key, p.key)}">${p.key}</a> › raw payload</p>
<h1>Raw payload: ${p.key}</h1>
<p class="lead">Exactly as the source answered, one row per fetch in <code>${asset.table}</code> (newest first, at most 20).</p>
${fetches.length === 0 ? html`<p>Nothing stored for this partition.</p>` : fetches.map((f) => html`<section class="raw-fetch">
<h2>fetch ${f.id}: ${badge(f.outcome)} ${kst(f.fetched_at)} · run <a href="${runHref(f.run_id)}">${f.run_id.slice(0, 8)}</a></h2>
${f.error ? html`<p class="err">${ctx.redact(f.error)}</p>` : ""}
${f.file ? html`<p><a href="/raw/file?${qs({ id: f.id })}" download>download the stored file</a> (${count(f.file.bytes)} bytes, sha256 <code>${f.file.sha256 ?? ""}</code>${f.file.partial ? ", partial month" : ""})</p>` : ""}
<pre class="payload">${ctx.redact(JSON.stringify(f.payload, null, 2) ?? "null")}</pre>
</section>`)}`;
  return page({ title: `raw ${p.key}`, section: "assets", body, today: todayKst() });
}

export function registerPartitionRoutes(app: Hono, ctx: UiContext): void {
  app.get("/partition", async (c) => c.html(await partitionPage(ctx, c.req.query())));
  app.get("/raw", async (c) => c.html(await rawPage(ctx, c.req.query())));
  app.get("/raw/file", async (c) => {
    const { id } = parseParams(rawBodyParams, c.req.query());
    const f = await koenFileBody(ctx.sql, id);
    if (!f) throw new PickAnExistingOne(`no stored file ${id}`);
    return c.body(new Uint8Array(f.body), 200, {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="koen-${f.partition.replace(/[^0-9-]/g, "")}.csv"`,
    });
  });
}
