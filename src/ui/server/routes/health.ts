// Data health: the plants on a map coloured by one day's completeness and checks (/health), and
// per plant its measured vs filled series with the fill method of every hour (/health/plant).
import type { Hono } from "hono";
import { addDays, todayKst, yesterdayKst } from "../../../../f/lib/time/kst.ts";
import { plantHealth, type PlantHealth } from "../../sql/plant_health.ts";
import { plantById, plantSeries } from "../../sql/plant_series.ts";
import type { UiContext } from "../context.ts";
import { PickAnExistingOne } from "../errors.ts";
import { html, jsonScript, type Html } from "../html.ts";
import { healthParams, parseParams, plantParams } from "../params.ts";
import { count, kst, qs } from "../views/format.ts";
import { koreaMap } from "../views/korea_map.ts";
import { page } from "../views/layout.ts";

/** A plant-day's health: measured hours of 24 and the checks that fail on it. */
export function healthClass(p: Pick<PlantHealth, "rows" | "measured" | "failing" | "error">): { cls: string; label: string } {
  if (p.rows === 0) return { cls: "h-none", label: "no data for the day" };
  if (p.error || p.measured < 12) return { cls: "h-bad", label: p.error ? "failing checks (error)" : "fewer than 12 hours measured" };
  if (p.failing || p.measured < 24) return { cls: "h-warn", label: p.failing ? "failing checks (warning)" : "some hours not measured" };
  return { cls: "h-ok", label: "24 hours measured, checks pass" };
}

const LEGEND = [
  { cls: "h-ok", label: "24 h measured, checks pass" },
  { cls: "h-warn", label: "gaps filled, or a warning" },
  { cls: "h-bad", label: "under 12 h measured, or an error check" },
  { cls: "h-none", label: "no data for the day" },
];

const plantHref = (id: string, extra: Record<string, string | number | undefined> = {}) => `/health/plant?${qs({ id, ...extra })}`;

async function mapPage(ctx: UiContext, q: Record<string, string>): Promise<Html> {
  const p = parseParams(healthParams, q);
  const day = p.day ?? yesterdayKst();
  const plants = await plantHealth(ctx.sql, day);
  const located = plants.filter((x) => x.latitude !== null && x.longitude !== null);
  const points = located.map((x) => {
    const h = healthClass(x);
    return {
      id: x.plant_id,
      lat: x.latitude!,
      lon: x.longitude!,
      href: plantHref(x.plant_id, { end: day }),
      cls: h.cls,
      title: `${x.plant_label} (${x.plant_id}) ${day}: ${h.label} — ${x.measured} of 24 h measured, ${x.filled} h filled${x.failing ? `, failing: ${x.checks.join(", ")}` : ""}`,
    };
  });
  const body = html`<h1>Data health</h1>
<form class="filters" method="get" action="/health"><label>day <input type="date" name="day" value="${day}"></label> <button type="submit">show</button>
  <a href="/health?${qs({ day: addDays(day, -1) })}">← day before</a>${day < yesterdayKst() ? html` <a href="/health?${qs({ day: addDays(day, 1) })}">day after →</a>` : ""}</form>
<p class="lead">Every PV plant unit with coordinates on ${day} (KST), coloured by how many of its hours were measured and by the checks that fail on it. KOEN publishes whole months: its units have data only for loaded months.</p>
<div class="map-row">
${koreaMap(points)}
<div>
<ul class="legend">${LEGEND.map((l) => html`<li><svg width="14" height="14"><circle class="plant ${l.cls}" cx="7" cy="7" r="6"></circle></svg> ${l.label}</li>`)}</ul>
<table class="data plants"><thead><tr><th>plant unit</th><th class="num">measured</th><th class="num">filled</th><th>checks</th></tr></thead><tbody>
${plants.map((x) => html`<tr class="${healthClass(x).cls}" data-plant-row="${x.plant_id}"><td><a href="${plantHref(x.plant_id, { end: day })}">${x.plant_label}</a> <small>${x.plant_id}${x.latitude === null ? " · no coordinates" : ""}</small></td><td class="num">${x.rows ? `${x.measured}/24` : ""}</td><td class="num">${x.filled || ""}</td><td>${x.checks.join(", ")}</td></tr>`)}
</tbody></table>
</div>
</div>
<p><small>Map outline: Natural Earth (public domain) via the npm package world-atlas; ${count(located.length)} of ${count(plants.length)} units have coordinates.</small></p>`;
  return page({ title: "Data health", section: "health", body, today: todayKst() });
}

async function plantPage(ctx: UiContext, q: Record<string, string>): Promise<Html> {
  const p = parseParams(plantParams, q);
  const plant = await plantById(ctx.sql, p.id);
  if (!plant) throw new PickAnExistingOne(`no plant unit "${p.id}" (see the list on /health)`);
  const end = p.end ?? yesterdayKst();
  const start = addDays(end, -(p.days - 1));
  const rows = await plantSeries(ctx.sql, p.id, { start, end });
  const methods = new Map<string, number>();
  for (const r of rows) methods.set(r.fill_method, (methods.get(r.fill_method) ?? 0) + 1);
  const series = {
    t: rows.map((r) => Math.floor(new Date(r.datetime).getTime() / 1000)),
    measured: rows.map((r) => r.generation),
    filled: rows.map((r) => r.generation_filled),
    method: rows.map((r) => r.fill_method),
  };
  const gaps = rows.filter((r) => r.fill_method !== "measured");
  const body = html`<p class="crumbs"><a href="/health?${qs({ day: end })}">Data health</a> › plant</p>
<h1>${plant.plant_label} <small>${plant.plant_id}</small></h1>
<p class="summary">${plant.operator_name} · ${plant.capacity_kw ? `${count(plant.capacity_kw)} kW · ` : ""}grade ${plant.data_quality}${plant.latitude !== null ? ` · ${plant.latitude.toFixed(4)}, ${plant.longitude?.toFixed(4)}` : " · no coordinates"}</p>
<form class="filters" method="get" action="/health/plant"><input type="hidden" name="id" value="${plant.plant_id}">
  <label>last day <input type="date" name="end" value="${end}"></label> <label>days <input type="number" name="days" min="1" max="92" value="${p.days}"></label> <button type="submit">show</button></form>
<h2>Measured vs filled, ${start}..${end} (kWh per hour, KST)</h2>
${rows.length === 0 ? html`<p>No hours stored for this unit in the window.</p>` : html`<div id="plant-chart" class="chart" data-chart></div>${jsonScript("plant-series", series)}`}
<ul class="legend methods">${[...methods].map(([m, n]) => html`<li data-method="${m}"><span class="sw fm-${m}"></span>${m}: ${count(n)} h</li>`)}</ul>
<h2>Hours not measured (${count(gaps.length)})</h2>
${gaps.length ? html`<table class="data fills"><thead><tr><th>hour (KST)</th><th class="num">measured</th><th class="num">filled</th><th>method</th></tr></thead><tbody>
${gaps.slice(0, 500).map((r) => html`<tr class="fm-row-${r.fill_method}"><td>${kst(r.datetime)}</td><td class="num">${r.generation ?? "—"}</td><td class="num">${r.generation_filled === null ? "—" : r.generation_filled.toFixed(1)}</td><td>${r.fill_method}</td></tr>`)}
</tbody></table>` : html`<p>Every stored hour was measured.</p>`}`;
  return page({ title: plant.plant_label, section: "health", body, scripts: rows.length ? ["plant_chart"] : [], today: todayKst() });
}

export function registerHealthRoutes(app: Hono, ctx: UiContext): void {
  app.get("/health", async (c) => c.html(await mapPage(ctx, c.req.query())));
  app.get("/health/plant", async (c) => c.html(await plantPage(ctx, c.req.query())));
}
